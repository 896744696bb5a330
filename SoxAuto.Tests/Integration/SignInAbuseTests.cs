using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

/// <summary>What someone who is not signed in can make SoxAuto write into its append-only audit
/// trail: bounded per entry, and bounded in number (429 past the limit, a burst recorded as one entry).</summary>
public sealed class SignInAbuseTests
{
    private const int Limit = 5;

    // A window far longer than any test: however slow the machine, it neither reopens nor is
    // recorded (closed) in the middle of a test; the tests close it themselves.
    private static readonly Dictionary<string, string?> Limited = new()
    {
        ["SoxAuto:Auth:SignInLimit"] = $"{Limit}",
        ["SoxAuto:Auth:SignInWindow"] = "01:00:00",
    };

    [Fact]
    public async Task A_one_megabyte_person_value_is_recorded_bounded_and_without_control_characters()
    {
        await using var app = SoxAutoApp.Start();
        using var client = app.AnonymousClient();
        // (A NUL the form reader refuses on its own; these it lets through.)
        var person = "nobody\r\nsignin Ada Auditor\u001b\u202E" + new string('x', 1_000_000);

        using var response = await PostSignInAsync(client, person);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var refused = Assert.Single(await TrailAsync(app, "signin.refused"));
        Assert.StartsWith("person/nobody\\r\\nsignin Ada Auditor\\u001B\\u202Exxx", refused.Subject);
        Assert.EndsWith("more characters not recorded)", refused.Subject);
        Assert.True(refused.Subject.Length <= AuditText.MaxField + 50, $"{refused.Subject.Length} characters");
        Assert.DoesNotContain(refused.Subject, char.IsControl);
        Assert.Null(await app.Services.GetRequiredService<AuditTrail>().FirstBrokenEntryAsync());
    }

    [Fact]
    public async Task A_sign_in_request_past_the_limit_from_one_address_is_answered_429_and_not_acted_on()
    {
        await using var app = SoxAutoApp.Start(settings: Limited);
        using var client = app.AnonymousClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= Limit; i++)
        {
            // Each sign-in with the page's fresh token, as a browser would.
            using var response = await PostSignInAsync(client, "ada");
            answers.Add(response.StatusCode);
        }

        Assert.All(answers.Take(Limit), a => Assert.Equal(HttpStatusCode.Redirect, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[Limit]);
        Assert.Equal(Limit, (await TrailAsync(app, "signin")).Count);   // the refused one signed nobody in
        using var page = await client.GetAsync("/signin");                 // other pages still answer
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_burst_of_refused_sign_ins_is_recorded_as_the_first_one_and_one_entry_counting_the_rest()
    {
        await using var app = SoxAutoApp.Start(settings: Limited);
        using var client = app.AnonymousClient();
        var token = await SoxAutoApp.FormTokenAsync(client);

        for (var i = 0; i < 30; i++)
            (await PostSignInAsync(client, $"guess-{i}", token)).Dispose();
        await app.Services.GetRequiredService<SignInRefusals>().FlushAsync();   // the window closes

        var refused = await TrailAsync(app, "signin.refused");
        Assert.Equal(2, refused.Count);
        Assert.Equal("person/guess-0", refused[0].Subject);
        Assert.StartsWith("29 further refused sign-in or access-token requests from 127.0.0.1", refused[1].Detail);
        Assert.Contains($"25 over the limit of {Limit} (answered 429), 4 refused or failed", refused[1].Detail);
    }

    [Fact]
    public async Task A_burst_of_bare_returns_from_the_provider_writes_a_bounded_number_of_rows()
    {
        await using var app = await SoxAutoApp.StartWithOidcAsync(settings: Limited);
        using var client = app.AnonymousClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.GetAsync("/signin-oidc");
            answers.Add(response.StatusCode);
        }
        await app.Services.GetRequiredService<SignInRefusals>().FlushAsync();

        Assert.Equal(Limit, answers.Count(a => a == HttpStatusCode.Redirect));
        Assert.Equal(40 - Limit, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var failed = await TrailAsync(app, "signin.failed");
        var summary = Assert.Single(await TrailAsync(app, "signin.refused"));
        Assert.Single(failed);
        Assert.StartsWith("39 further refused sign-in or access-token requests from 127.0.0.1", summary.Detail);
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string person, string? token = null) =>
        await client.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token ?? await SoxAutoApp.FormTokenAsync(client),
            ["person"] = person,
            ["returnUrl"] = "/",
        }));

    private static async Task<List<AuditEntry>> TrailAsync(SoxAutoApp app, string action)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.AuditTrail.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}
