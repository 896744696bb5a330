using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The local demo sign-in over plain HTTP, as a browser without JavaScript uses it: the
/// session's roles decide what answers, and sign-ins and refusals land in the audit trail.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private SoxAutoApp _app = null!;

    public Task InitializeAsync()
    {
        _app = SoxAutoApp.Start();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_the_sign_in_page_which_says_it_is_a_local_demo()
    {
        using var anonymous = _app.AnonymousClient();

        using var response = await anonymous.GetAsync("/runs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
        var page = await anonymous.GetStringAsync("/signin");
        Assert.Contains("Local demo sign-in — not for production", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task An_auditor_may_open_the_run_page_and_a_reviewer_is_refused_with_a_recorded_denial()
    {
        using var ada = await _app.SignedInClientAsync("ada");
        using var rita = await _app.SignedInClientAsync("Rita Reviewer");

        using var allowed = await ada.GetAsync("/run");
        using var refused = await rita.GetAsync("/run");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/access-denied", refused.Headers.Location!.PathAndQuery);
        using var deniedPage = await rita.GetAsync(refused.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, deniedPage.StatusCode);
        Assert.Contains("Access denied", await deniedPage.Content.ReadAsStringAsync());

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var trail = await db.AuditTrail.OrderBy(a => a.Id).ToListAsync();
        Assert.Contains(trail, a => a is { Who: "Ada Auditor", Action: "signin", Origin: "127.0.0.1" });
        // The refusal names the person by subject too, like what they did (the local sign-in's subject is the demo person's id).
        Assert.Contains(trail, a => a is { Who: "Rita Reviewer", Action: "access.denied", Subject: "/run" } && a.WhoSubject == TestPeople.SubjectOf("Rita Reviewer"));
    }

    [Fact]
    public async Task A_sign_in_without_the_page_s_antiforgery_token_is_refused()
    {
        using var forger = _app.AnonymousClient();

        using var response = await forger.PostAsync("/auth/signin",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "alan", ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var after = await forger.GetAsync("/runs");   // and no session came of it
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Lax()
    {
        using var client = _app.AnonymousClient();
        var page = await client.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;

        using var response = await client.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["person"] = "ada",
            ["returnUrl"] = "https://elsewhere.example/",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);   // never off-site
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("soxauto.session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", ""), StringComparison.OrdinalIgnoreCase); // loopback over http
    }

    [Theory]
    [InlineData("/runs\u0007")]
    [InlineData("/runs\r\nSet-Cookie: soxauto.session=forged")]
    [InlineData("/runs/\u00fc")]
    public async Task A_return_address_that_cannot_be_a_redirect_signs_in_and_goes_home_recording_one_sign_in(string returnUrl)
    {
        using var client = _app.AnonymousClient();

        using var response = await client.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await SoxAutoApp.FormTokenAsync(client),
            ["person"] = "sam",
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("soxauto.session="));
        using var runs = await client.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Single(await db.AuditTrail.Where(a => a.Action == "signin" && a.Who == "Sam Auditor").ToListAsync());
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_refused()
    {
        using var ada = await _app.SignedInClientAsync("ada");
        var cookie = SoxAutoApp.CookiesOf(ada).GetCookies(_app.BaseAddress)["soxauto.session"]!;
        using var forger = _app.AnonymousClient();
        SoxAutoApp.CookiesOf(forger).Add(_app.BaseAddress, new Cookie("soxauto.session", cookie.Value[..^4] + (cookie.Value[^4] == 'x' ? 'y' : 'x') + cookie.Value[^3..]));

        using var response = await forger.GetAsync("/runs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task An_expired_session_is_refused()
    {
        await using var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:Auth:CookieLifetime"] = "00:00:02" });
        using var ada = await app.SignedInClientAsync("ada");
        var session = SoxAutoApp.CookiesOf(ada).GetCookies(app.BaseAddress)["soxauto.session"]!.Value;
        using (var fresh = await ada.GetAsync("/runs"))
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        // The cookie issued at sign-in lives two seconds. Each probe sends that cookie alone (a renewed
        // one would restart the clock), until the app sends Ada to sign in again.
        await RunWaits.UntilAsync(async () =>
        {
            using var probe = app.AnonymousClient();
            SoxAutoApp.CookiesOf(probe).Add(app.BaseAddress, new Cookie("soxauto.session", session));
            using var response = await probe.GetAsync("/runs");
            return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.PathAndQuery.StartsWith("/signin", StringComparison.Ordinal);
        }, "the session cookie issued at sign-in is refused");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
