using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Integration.Api.ApiClient;

namespace SoxAuto.Tests.Integration.Api;

/// <summary>Who the API refuses, and how: 401 with WWW-Authenticate for no valid token, 403 out of the
/// token's role, 429 past its rate limit; and the cookie and the token never stand in for each other.</summary>
public sealed class ApiRefusalTests
{
    [Fact]
    public async Task Missing_unknown_revoked_and_expired_tokens_get_401_with_WWW_Authenticate_and_the_known_ones_are_audited()
    {
        await using var app = Start();
        var revoked = await IssueAsync(app, "old-job", TokenScope.Reviewer);
        var expired = await IssueAsync(app, "last-quarter", TokenScope.Reviewer);
        await app.Services.GetRequiredService<AccessTokens>().RevokeAsync("old-job", new Actor("Alex Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alex Admin") });
        var dbs = app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();
        await using (var db = await dbs.CreateDbContextAsync())   // its expiry passes
            await db.AccessTokens.Where(t => t.Name == "last-quarter").ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));

        foreach (var (token, says) in new (string? Token, string Says)[]
        {
            (null, "needs an access token"),
            (AccessTokens.Prefix + "not-a-token-anyone-issued", "not known"),
            (revoked, "revoked"),
            (expired, "expired"),
        })
        {
            using var client = With(app, token);
            using var response = await client.GetAsync("api/v1/ipes");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(token is not null, response.Headers.WwwAuthenticate.ToString().Contains("error=\"invalid_token\""));
            Assert.Contains(says, (await JsonAsync(response)).GetProperty("detail").GetString());
        }

        await using var check = await dbs.CreateDbContextAsync();
        var refused = await check.AuditTrail.Where(a => a.Action == "token.refused").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["anonymous", "token:old-job", "token:last-quarter"], refused.Select(a => a.Who));
        Assert.All(refused, a => Assert.Equal("/api/v1/ipes", a.Subject));
        Assert.Contains("an unknown access token", refused[0].Detail);
        Assert.Contains(await check.AuditTrail.ToListAsync(), a => a is { Action: "token.revoked", Subject: "token/old-job", Who: "Alex Admin" });
    }

    [Fact]
    public async Task A_token_acts_only_within_its_role_403_and_audited_beyond_it_and_a_reviewer_token_sees_every_run()
    {
        await using var app = Start();
        var someoneElses = await app.RunToEndAsync("IPE_09", "2025-09", "Ada Auditor");
        using var reviewer = With(app, await IssueAsync(app, "review-bot", TokenScope.Reviewer));
        using var admin = With(app, await IssueAsync(app, "ops-bot", TokenScope.Admin));
        using var auditor = With(app, await IssueAsync(app, "run-bot", TokenScope.Auditor));

        using (var start = await StartRunAsync(reviewer))
        {
            Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
            Assert.Contains("Reviewer", (await JsonAsync(start)).GetProperty("detail").GetString());
        }
        using (var start = await StartRunAsync(admin))
            Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        using (var seen = await reviewer.GetAsync($"api/v1/runs/{someoneElses.Id}"))
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        using (var notSeen = await auditor.GetAsync($"api/v1/runs/{someoneElses.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, notSeen.StatusCode);
        using (var file = await auditor.GetAsync($"api/v1/runs/{someoneElses.Id}/extract.csv"))
            Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var denied = await db.AuditTrail.Where(a => a.Action == "access.denied").ToListAsync();
        Assert.Contains(denied, a => a is { Who: "token:review-bot", WhoSubject: "token:review-bot", Subject: "/api/v1/runs" });
        Assert.Contains(denied, a => a is { Who: "token:ops-bot", Subject: "/api/v1/runs" });
        Assert.Contains(denied, a => a.Who == "token:run-bot" && a.Subject == $"/api/v1/runs/{someoneElses.Id}/extract.csv");
        Assert.Equal(1, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task A_session_cookie_does_not_open_the_API_and_a_token_does_not_open_a_page_or_a_download()
    {
        await using var app = Start();
        var run = await app.RunToEndAsync("IPE_09", "2025-09", "Ada Auditor");
        using var ada = await app.SignedInClientAsync("Ada Auditor");
        using var token = With(app, await IssueAsync(app, "ada-script", TokenScope.Auditor));

        using (var viaCookie = await ada.GetAsync("api/v1/ipes"))
            Assert.Equal(HttpStatusCode.Unauthorized, viaCookie.StatusCode);
        using (var viaCookie = await ada.PostAsync("api/v1/runs", System.Net.Http.Json.JsonContent.Create(new { ipe = "IPE_09", period = "2025-09" })))
            Assert.Equal(HttpStatusCode.Unauthorized, viaCookie.StatusCode);
        using (var pageWithCookie = await ada.GetAsync($"runs/{run.Id}/extract.csv"))
            Assert.Equal(HttpStatusCode.OK, pageWithCookie.StatusCode);   // the cookie itself works where it belongs

        foreach (var page in new[] { "runs", "run", $"runs/{run.Id}/extract.csv", "admin/tokens" })
        {
            using var viaToken = await token.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, viaToken.StatusCode);
            var location = viaToken.Headers.Location!;
            Assert.StartsWith("/signin", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
        }
    }

    [Fact]
    public async Task Past_its_rate_limit_a_token_gets_429_with_Retry_After_while_another_token_is_still_served()
    {
        await using var app = Start(new Dictionary<string, string?> { ["SoxAuto:Api:RateLimit"] = "3", ["SoxAuto:Api:RateLimitWindow"] = "01:00:00" });
        using var busy = With(app, await IssueAsync(app, "busy", TokenScope.Auditor));
        using var calm = With(app, await IssueAsync(app, "calm", TokenScope.Auditor));

        for (var i = 0; i < 3; i++)
            using (var ok = await busy.GetAsync("api/v1/ipes"))
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var throttled = await busy.GetAsync("api/v1/ipes");

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Contains("3 requests per 01:00:00", (await JsonAsync(throttled)).GetProperty("detail").GetString());
        using var other = await calm.GetAsync("api/v1/ipes");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
