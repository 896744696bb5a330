using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

/// <summary>Issue 14: with SoxAuto:Athena:Credentials = PerUser, single sign-on asks for a refresh token, SoxAuto keeps it
/// (protected) with the person's sign-in session, and renews their ID token with it when a run outlives the token or is
/// re-attached after a restart. Against the real OpenID provider, the fake STS and the Athena emulator.</summary>
public sealed class RefreshTokenTests : IAsyncLifetime
{
    private const string AuditorRole = "arn:aws:iam::111122223333:role/soxauto-auditor-readonly";
    private AthenaEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AthenaEmulator.StartAsync();
        _emulator.Sts.RoleGroups[AuditorRole] = "sox-auditors";
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private Task<SoxAutoApp> StartAsync(TimeSpan? idTokenLifetime = null)
    {
        var settings = AthenaTestKit.Settings(_emulator);
        settings["SoxAuto:Athena:Credentials"] = "PerUser";
        settings["SoxAuto:Athena:StsServiceUrl"] = _emulator.Endpoint;
        settings["SoxAuto:Athena:Roles:0:Group"] = "sox-auditors";
        settings["SoxAuto:Athena:Roles:0:RoleArn"] = AuditorRole;
        return SoxAutoApp.StartWithOidcAsync(settings: settings, idTokenLifetime: idTokenLifetime,
            services: s => s.AddSingleton<AwsCredentialsSource>(new FixedAwsCredentialsSource(AthenaTestKit.Credentials)));
    }

    private static async Task<int> RequestAsync(SoxAutoApp app) =>
        (await app.Services.GetRequiredService<RunService>().RequestAsync("IPE_09", "2025-09", null,
            new Actor("Ada Auditor", "test") { Subject = app.SubjectOf("Ada Auditor", "ada") })).Id;

    private List<FakeSts.StsCall> Exchanges => _emulator.Sts.Calls.Where(c => c.Action == "AssumeRoleWithWebIdentity").ToList();

    private static async Task<SignInSession> SessionOfAsync(SoxAutoApp app, string username)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var subject = app.Provider!.SubjectOf(username);
        return await db.SignInSessions.OrderByDescending(s => s.StartedAt).FirstAsync(s => s.Subject == subject);
    }

    [Fact]
    public async Task The_refresh_token_is_kept_protected_with_the_sign_in_session_never_in_the_cookie_and_signing_out_deletes_and_revokes_it()
    {
        await using var app = await StartAsync();
        using var ada = await app.SignInThroughProviderAsync("ada");

        var kept = (await SessionOfAsync(app, "ada")).RefreshToken;
        Assert.NotNull(kept);
        var refreshToken = app.Services.GetRequiredService<SignInSessions>().RefreshTokens.Unprotect(kept);
        Assert.DoesNotContain(refreshToken, kept);
        var cookies = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var ticket = cookies.TicketDataFormat.Unprotect(SessionCookie(ada, app))!;
        Assert.NotNull(ticket.Properties.GetTokenValue("id_token"));
        Assert.Null(ticket.Properties.GetTokenValue("refresh_token"));
        Assert.Null(ticket.Properties.GetTokenValue("access_token"));

        await ada.PostAsync("/auth/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await SoxAutoApp.FormTokenAsync(ada, "/"),
            ["returnUrl"] = "/",
        }));

        var ended = await SessionOfAsync(app, "ada");
        Assert.Equal(("signed out", null), (ended.EndReason, ended.RefreshToken));
        // Revoked at the provider as well: a copy of the token renews nothing.
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonObject>(new Uri(app.Provider!.Issuer, ".well-known/openid-configuration"));
        using var renewal = await http.PostAsync((string)discovery!["token_endpoint"]!, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = OidcProvider.ClientId,
            ["client_secret"] = OidcProvider.ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, renewal.StatusCode);
        Assert.Contains("invalid_grant", await renewal.Content.ReadAsStringAsync());
        Assert.Null(await app.Services.GetRequiredService<IPersonTokens>().ForRunAsync(new EngineRunner(1, app.Provider!.SubjectOf("ada")), CancellationToken.None));
    }

    [Fact]
    public async Task A_run_outliving_the_persons_ID_token_renews_it_with_their_refresh_token_and_signs_Athena_with_the_new_credentials()
    {
        // Each renewed with a third of its life left: 5 s and 8 s, room for a request held up on a loaded machine.
        _emulator.Sts.Lifetime = TimeSpan.FromSeconds(15);
        _emulator.QueuedFor = TimeSpan.FromSeconds(32);
        await using var app = await StartAsync(idTokenLifetime: TimeSpan.FromSeconds(24));
        using var ada = await app.SignInThroughProviderAsync("ada");

        var run = await RunWaits.ForFinalAsync(app.Services, await RequestAsync(app));

        // The emulator refuses expired credentials and STS expired ID tokens: success means every call was made with live ones.
        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        var exchanges = Exchanges;
        var tokens = exchanges.Select(e => e.Token!).Distinct().ToList();
        Assert.True(tokens.Count >= 2, $"{tokens.Count} token(s) in {exchanges.Count} exchange(s)");
        // Each one the provider's ID token for Ada (FakeSts read its subject and groups from it).
        Assert.All(exchanges, e => Assert.Equal(("ada", "soxauto-ada", null), (e.Subject, e.SessionName, e.Error)));
        Assert.All(tokens, t => Assert.Equal(app.Provider!.Issuer.ToString().TrimEnd('/'), (string?)FakeSts.Claims(t)!["iss"]));
        // Once credentials from the renewed token were issued, Athena only saw those (or later ones), never the first token's.
        var firstTokenKeys = exchanges.Where(e => e.Token == tokens[0]).Select(e => e.AccessKey).ToHashSet();
        var renewedKeys = exchanges.Where(e => e.Token == tokens[1]).Select(e => e.AccessKey).ToHashSet();
        var afterRenewal = _emulator.SignedWith.SkipWhile(k => !renewedKeys.Contains(k)).ToList();
        Assert.NotEmpty(afterRenewal);
        Assert.DoesNotContain(afterRenewal, firstTokenKeys.Contains);
    }

    [Fact]
    public async Task A_run_re_attached_after_a_restart_gets_the_persons_credentials_through_their_refresh_token()
    {
        // The query stays queued until the app has restarted: it must not end under the first app on a busy machine.
        var queue = _emulator.HoldQueued = new TaskCompletionSource();
        var first = await StartAsync();
        using var ada = await first.SignInThroughProviderAsync("ada");
        var runId = await RequestAsync(first);
        await RunWaits.ForExecutionAsync(first.Services, runId);
        var before = Exchanges;
        // An ID token's iat counts whole seconds and RS256 signatures are deterministic: a token renewed within the
        // sign-in's second is byte for byte the first one, which would make a renewal indistinguishable from a reuse.
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        await using var app = await first.RestartAsync();
        queue.SetResult();
        var run = await RunWaits.ForFinalAsync(app.Services, runId);

        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        var exchanges = Exchanges;
        Assert.Equal(before.Count + 1, exchanges.Count);
        var (atStart, afterRestart) = (exchanges[0], exchanges[^1]);
        // The restarted app held no ID token in memory: the one it sent was newly issued for Ada through her refresh token.
        Assert.NotEqual(atStart.Token, afterRestart.Token);
        Assert.Equal(("ada", "soxauto-ada", null), (afterRestart.Subject, afterRestart.SessionName, afterRestart.Error));
        Assert.True((long)FakeSts.Claims(afterRestart.Token!)!["iat"]! >= (long)FakeSts.Claims(atStart.Token!)!["iat"]!);
        Assert.Equal(afterRestart.AccessKey, _emulator.SignedWith.Last());
        Assert.DoesNotContain(_emulator.Sts.Calls, c => c.Action == "AssumeRole");
    }

    [Fact]
    public async Task A_revoked_refresh_token_stops_the_query_and_ends_the_run_Failed_with_the_reason_and_an_audit_entry_never_as_the_server()
    {
        _emulator.Sts.Lifetime = TimeSpan.FromSeconds(15);
        _emulator.QueuedFor = TimeSpan.FromSeconds(90);
        await using var app = await StartAsync(idTokenLifetime: TimeSpan.FromSeconds(15));
        using var ada = await app.SignInThroughProviderAsync("ada");
        var runId = await RequestAsync(app);
        var running = await RunWaits.ForExecutionAsync(app.Services, runId);
        await RevokeAsync(app, (await SessionOfAsync(app, "ada")).RefreshToken!);

        var run = await RunWaits.ForFinalAsync(app.Services, runId);

        Assert.Equal(RunState.Failed, run.State);
        Assert.StartsWith("The run could not use its requester's AWS identity: Your sign-in could not be renewed for this run's AWS credentials: "
            + "the identity provider refused to renew it (invalid_grant", run.Message);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entry = await db.AuditTrail.SingleAsync(e => e.Action == "run.aws-identity.refused");
        Assert.Equal(("Ada Auditor", $"run/{runId}"), (entry.Who, entry.Subject));
        Assert.Contains("invalid_grant", entry.Detail);
        // The query was stopped, as Ada, before the run ended; nothing ever ran as the server or its service role.
        Assert.Equal("CANCELLED", _emulator.StateOf(running.ExecutionId!));
        Assert.Equal(1, _emulator.CallsOf("StopQueryExecution"));
        Assert.DoesNotContain(_emulator.Sts.Calls, c => c.Action == "AssumeRole");
        Assert.All(_emulator.SignedWith, key => Assert.EndsWith("/soxauto-ada", _emulator.Sts.ArnOf(key)));
    }

    /// <summary>Revokes a refresh token at the provider's revocation endpoint, as an administrator ending the grant would.</summary>
    private static async Task RevokeAsync(SoxAutoApp app, string protectedToken)
    {
        var token = app.Services.GetRequiredService<SignInSessions>().RefreshTokens.Unprotect(protectedToken);
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonObject>(new Uri(app.Provider!.Issuer, ".well-known/openid-configuration"));
        using var revoked = await http.PostAsync((string)discovery!["revocation_endpoint"]!, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = OidcProvider.ClientId,
            ["client_secret"] = OidcProvider.ClientSecret,
        }));
        revoked.EnsureSuccessStatusCode();
    }

    /// <summary>The session cookie's value, its chunks joined (the cookie manager splits a large one).</summary>
    private static string SessionCookie(HttpClient client, SoxAutoApp app)
    {
        var jar = SoxAutoApp.CookiesOf(client).GetCookies(app.BaseAddress);
        var value = jar["soxauto.session"]!.Value;
        if (!value.StartsWith("chunks-", StringComparison.Ordinal)) return value;
        var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(Enumerable.Range(1, count).Select(i => jar[$"soxauto.sessionC{i}"]!.Value));
    }
}
