using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Access;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

/// <summary>One SoxAuto in Production with single sign-on against a real OpenID provider, and two
/// finished runs (Ada's and Sam's) to look at.</summary>
public sealed class OidcAppFixture : IAsyncLifetime
{
    public SoxAutoApp App { get; private set; } = null!;
    public Run AdasRun { get; private set; } = null!;
    public Run SamsRun { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await SoxAutoApp.StartWithOidcAsync();
        AdasRun = await App.RunToEndAsync("IPE_09", "2025-09", "Ada Auditor");
        SamsRun = await App.RunToEndAsync("IPE_09", "2025-08", "Sam Auditor");
        Assert.Equal(RunState.Succeeded, AdasRun.State);
        Assert.Equal(RunState.Succeeded, SamsRun.State);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Signing in through the provider's pages (the full redirect flow over HTTP), and what each
/// role may then reach: pages, downloads, and nothing else.</summary>
public sealed partial class OidcSignInTests(OidcAppFixture fixture) : IClassFixture<OidcAppFixture>
{
    private SoxAutoApp App => fixture.App;

    [Fact]
    public async Task Sign_in_goes_through_the_provider_with_PAR_and_PKCE_and_maps_groups_to_roles()
    {
        using var client = App.AnonymousClient();
        var signInDay = DateOnly.FromDateTime(DateTime.UtcNow);   // the review's period starts here, in case midnight passes

        var (login, visited) = await SoxAutoApp.FollowAsync(client, await client.GetAsync("auth/login?returnUrl=%2Fruns"));

        // SoxAuto pushed the request first (PAR): the browser carries only a request_uri.
        var authorize = visited.Single(u => u.Port == App.Provider!.Issuer.Port && u.AbsolutePath == "/auth");
        Assert.Contains("request_uri=", authorize.Query);
        Assert.DoesNotContain("code_challenge", authorize.Query);
        Assert.Contains("Test provider sign-in", await login.Content.ReadAsStringAsync());

        using var casey = await App.SignInThroughProviderAsync("casey");
        var page = WebUtility.HtmlDecode(await casey.GetStringAsync("/"));
        Assert.Contains("Casey Controller", page);
        Assert.Contains("(Auditor, Reviewer)", page);
        Assert.DoesNotContain("Local demo sign-in", page);

        var signIn = await AuditAsync(a => a.Action == "signin" && a.Who == "Casey Controller");
        Assert.Contains("groups: Everyone, sox-auditors, sox-reviewers; roles: Auditor, Reviewer", signIn.Detail);
        Assert.Equal("127.0.0.1", signIn.Origin);

        // The access review knows which group gave which role, and every group the provider named.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var review = await App.Services.GetRequiredService<AccessReview>().PrepareAsync(App.Services.GetRequiredService<AccessScope>().For(signInDay, today));
        var reviewed = review.People.Single(p => p.Name == "Casey Controller");
        Assert.Equal(("Single sign-on", "Auditor: group sox-auditors; Reviewer: group sox-reviewers"), (reviewed.SignIn, reviewed.GrantsText));
        Assert.Equal(["Everyone", "sox-auditors", "sox-reviewers"], reviewed.Groups);
        Assert.NotNull(reviewed.LastSignIn);
    }

    public static TheoryData<string, string, string> Matrix => new()
    {
        // person, address, what answers: "ok", "denied" (the access-denied page) or "not found"
        { "ada", "/", "ok" }, { "ada", "/run", "ok" }, { "ada", "/runs", "ok" }, { "ada", "/admin/sign-in", "denied" },
        { "ada", "own.xlsx", "ok" }, { "ada", "own.csv", "ok" }, { "ada", "other.xlsx", "not found" }, { "ada", "other.csv", "not found" },
        { "rita", "/", "ok" }, { "rita", "/run", "denied" }, { "rita", "/runs", "ok" }, { "rita", "/admin/sign-in", "denied" },
        { "rita", "own.xlsx", "ok" }, { "rita", "other.csv", "ok" },
        { "alan", "/", "ok" }, { "alan", "/run", "denied" }, { "alan", "/runs", "ok" }, { "alan", "/admin/sign-in", "ok" },
        { "alan", "own.xlsx", "ok" }, { "alan", "other.csv", "ok" },
        { "nora", "/", "denied" }, { "nora", "/run", "denied" }, { "nora", "/runs", "denied" }, { "nora", "/admin/sign-in", "denied" },
        { "nora", "own.xlsx", "denied" }, { "nora", "other.csv", "denied" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_reaches_what_it_should_and_is_refused_the_rest(string person, string address, string expected)
    {
        using var client = await App.SignInThroughProviderAsync(person);
        // "own" is Ada's run, "other" is Sam's: an auditor (Ada) may only have her own.
        var path = address.StartsWith('/') ? address
            : $"/runs/{(address.StartsWith("own") ? fixture.AdasRun.Id : fixture.SamsRun.Id)}/{(address.EndsWith("xlsx") ? "evidence.xlsx" : "extract.csv")}";

        using var response = await client.GetAsync(path);

        switch (expected)
        {
            case "ok":
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            case "not found":
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                break;
            default:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/access-denied", new Uri(App.BaseAddress, response.Headers.Location!).PathAndQuery);
                using (var denied = await client.GetAsync(response.Headers.Location))
                {
                    Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
                    Assert.Contains("Access denied", await denied.Content.ReadAsStringAsync());
                }
                await AuditAsync(a => a.Action == "access.denied" && a.Who == OidcProvider.People[person].Name && a.Subject.StartsWith(path));
                break;
        }
    }

    [Fact]
    public async Task Another_auditors_run_cannot_be_found_by_guessing_its_id()
    {
        using var ada = await App.SignInThroughProviderAsync("ada");
        using var missing = await ada.GetAsync("/runs/987654/evidence.xlsx");
        using var others = await ada.GetAsync($"/runs/{fixture.SamsRun.Id}/evidence.xlsx");

        // The same answer, byte for byte, as for a run that does not exist.
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal(WithoutBlazorMarkers(await missing.Content.ReadAsStringAsync()), WithoutBlazorMarkers(await others.Content.ReadAsStringAsync()));
        var page = WebUtility.HtmlDecode(await ada.GetStringAsync($"/runs/{fixture.SamsRun.Id}"));
        Assert.Contains($"There is no run {fixture.SamsRun.Id}.", page);
        Assert.DoesNotContain(fixture.SamsRun.ExtractSha256!, page);
        var list = WebUtility.HtmlDecode(await ada.GetStringAsync("/"));
        Assert.DoesNotContain($"run {fixture.SamsRun.Id}<", list);
        Assert.Contains($"run {fixture.AdasRun.Id}<", list);
        await AuditAsync(a => a.Action == "access.denied" && a.Who == "Ada Auditor" && a.Subject == $"/runs/{fixture.SamsRun.Id}/evidence.xlsx");
    }

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_the_sign_in_page_which_offers_single_sign_on()
    {
        using var anonymous = App.AnonymousClient();

        foreach (var path in new[] { "/", "/runs", "/run", "/admin/sign-in", $"/runs/{fixture.AdasRun.Id}", $"/runs/{fixture.AdasRun.Id}/evidence.xlsx" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
        }
        var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/signin?returnUrl=%2Fruns"));
        Assert.Contains("Sign in with single sign-on (127.0.0.1)", page);
        Assert.Contains("href=\"/auth/login?returnUrl=%2Fruns\"", page);
        Assert.DoesNotContain("Local demo sign-in", page);
    }

    [Fact]
    public async Task Sign_out_ends_the_providers_session_too()
    {
        using var ada = await App.SignInThroughProviderAsync("ada");
        var copy = SoxAutoApp.CookiesOf(ada).GetCookies(App.BaseAddress)["soxauto.session"]!.Value;
        var home = await ada.GetStringAsync("/");
        var token = AntiforgeryField().Match(home).Groups[1].Value;

        var (confirm, _) = await SoxAutoApp.FollowAsync(ada, await ada.PostAsync("/auth/signout", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["returnUrl"] = "/" })));
        // The provider's end-session page (RP-initiated logout, with SoxAuto's ID token as the hint).
        Assert.Equal(App.Provider!.Issuer.Port, confirm.RequestMessage!.RequestUri!.Port);
        var form = await confirm.Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["logout"] = "yes";
        var action = FormAction().Match(form).Groups[1].Value;
        var (back, visited) = await SoxAutoApp.FollowAsync(ada, await ada.PostAsync(new Uri(confirm.RequestMessage.RequestUri, action), new FormUrlEncodedContent(fields)));

        Assert.Contains(visited, u => u.AbsolutePath == "/signout-callback-oidc");
        Assert.Equal("/signin", back.RequestMessage!.RequestUri!.AbsolutePath);
        using var after = await ada.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);   // SoxAuto's session is gone
        using var replay = App.AnonymousClient();
        SoxAutoApp.CookiesOf(replay).Add(App.BaseAddress, new Cookie("soxauto.session", copy));
        using (var replayed = await replay.GetAsync("/runs"))
            Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);   // for every copy of its cookie too
        var (again, _) = await SoxAutoApp.FollowAsync(ada, await ada.GetAsync("auth/login"));
        Assert.Contains("Test provider sign-in", await again.Content.ReadAsStringAsync()); // and so is the provider's
        await AuditAsync(a => a.Action == "signout" && a.Who == "Ada Auditor");
    }

    [Fact]
    public async Task A_return_address_with_a_control_character_signs_in_through_the_provider_and_goes_home()
    {
        using var beth = await App.SignInThroughProviderAsync("beth", returnUrl: "/runs\u0007");

        using var home = await beth.GetAsync("/admin/sign-in");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);   // the sign-in completed: the cookie was issued
        Assert.Single(await AllAsync(a => a.Action == "signin" && a.Who == "Beth Admin"));
    }

    [Fact]
    public async Task A_forged_return_from_the_provider_signs_nobody_in_and_is_recorded()
    {
        using var forger = App.AnonymousClient();

        using var response = await forger.GetAsync("/signin-oidc?code=stolen&state=forged&iss=" + Uri.EscapeDataString(App.Provider!.Issuer.ToString().TrimEnd('/')));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?failed=1", new Uri(App.BaseAddress, response.Headers.Location!).PathAndQuery);
        using var after = await forger.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("did not complete", WebUtility.HtmlDecode(await forger.GetStringAsync("/signin?failed=1")));
        await AuditAsync(a => a.Action == "signin.failed" && a.Who == "anonymous");
    }

    [Fact]
    public async Task A_sign_out_without_the_antiforgery_token_is_refused()
    {
        using var ada = await App.SignInThroughProviderAsync("ada");

        using var forged = await ada.PostAsync("/auth/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var still = await ada.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_refused()
    {
        using var ada = await App.SignInThroughProviderAsync("ada");
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var cookie = SoxAutoApp.CookiesOf(ada).GetCookies(App.BaseAddress)["soxauto.session"]!.Value;
        var tampered = cookie[..^8] + (cookie[^8] == 'A' ? 'B' : 'A') + cookie[^7..];
        handler.CookieContainer.Add(App.BaseAddress, new Cookie("soxauto.session", tampered));
        using var forger = new HttpClient(handler) { BaseAddress = App.BaseAddress };

        using var response = await forger.GetAsync("/runs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var ada = await App.SignInThroughProviderAsync("ada");
        using var anonymous = App.AnonymousClient();

        foreach (var response in new[] { await ada.GetAsync("/runs"), await anonymous.GetAsync("/signin"), await ada.GetAsync($"/runs/{fixture.AdasRun.Id}/extract.csv") })
        {
            using (response)
            {
                var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
                Assert.Contains("frame-ancestors 'none'", csp);
                Assert.Contains("script-src 'self'", csp);
                Assert.Contains($"form-action 'self' {App.Provider!.Issuer.GetLeftPart(UriPartial.Authority)}", csp);
                Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
                Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            }
        }
    }

    private async Task<SoxAuto.Core.Audit.AuditEntry> AuditAsync(System.Linq.Expressions.Expression<Func<SoxAuto.Core.Audit.AuditEntry, bool>> match)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var found = await db.AuditTrail.Where(match).OrderByDescending(a => a.Id).FirstOrDefaultAsync();
        Assert.True(found is not null, $"No audit entry matches {match}.");
        return found;
    }

    private async Task<List<SoxAuto.Core.Audit.AuditEntry>> AllAsync(System.Linq.Expressions.Expression<Func<SoxAuto.Core.Audit.AuditEntry, bool>> match)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.AuditTrail.Where(match).ToListAsync();
    }

    // Prerendering markers and antiforgery tokens differ per request.
    private static string WithoutBlazorMarkers(string html) => BlazorMarker().Replace(html, "");

    [GeneratedRegex("<!--Blazor:.*?-->|<input[^>]*__RequestVerificationToken[^>]*>", RegexOptions.Singleline)]
    private static partial Regex BlazorMarker();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
