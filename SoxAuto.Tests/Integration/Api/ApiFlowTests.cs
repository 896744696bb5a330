using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Integration.Api.ApiClient;

namespace SoxAuto.Tests.Integration.Api;

/// <summary>A program using the API as documented: a token from the verb, a run, its evidence.</summary>
public sealed class ApiFlowTests
{
    [Fact]
    public async Task A_token_issued_by_the_verb_runs_IPE_09_and_downloads_files_whose_SHA_256_is_the_one_the_API_reports()
    {
        await using var app = Start();
        var issued = await IssueByVerbAsync(app, "nightly-close", "Auditor", "30d");
        var token = issued.GetProperty("token").GetString()!;
        Assert.StartsWith(AccessTokens.Prefix, token);
        using var client = With(app, token);

        using var ipes = await client.GetAsync("api/v1/ipes");
        Assert.Equal(HttpStatusCode.OK, ipes.StatusCode);
        Assert.Contains((await JsonAsync(ipes)).EnumerateArray(), i => i.GetProperty("id").GetString() == "IPE_09");

        using var started = await StartRunAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await JsonAsync(started)).GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/runs/{runId}", started.Headers.Location?.ToString());

        var run = await UntilEndedAsync(client, runId);
        Assert.Equal("Succeeded", run.GetProperty("state").GetString());
        Assert.Equal("token:nightly-close", run.GetProperty("requestedBy").GetString());
        Assert.True(run.GetProperty("rows").GetInt64() > 0);
        Assert.Equal("AwaitingReview", run.GetProperty("review").GetProperty("state").GetString());
        Assert.NotEmpty(run.GetProperty("checks").EnumerateArray());

        foreach (var file in new[] { "workbook", "extract" })
        {
            var reported = run.GetProperty(file);
            var bytes = await client.GetByteArrayAsync(reported.GetProperty("href").GetString()!.TrimStart('/'));
            Assert.Equal(reported.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(reported.GetProperty("bytes").GetInt64(), bytes.Length);
        }
        using var package = await client.GetAsync(run.GetProperty("package").GetString()!.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        Assert.Equal("application/zip", package.Content.Headers.ContentType?.MediaType);

        // Recorded as the UI's runs and downloads are, under the token's name.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var trail = await db.AuditTrail.Where(a => a.Who == "token:nightly-close").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["run.requested", "evidence.downloaded", "evidence.downloaded", "package.downloaded"], trail);
        Assert.Contains(await db.AuditTrail.ToListAsync(), a => a is { Action: "token.issued", Subject: "token/nightly-close" } && a.Who.StartsWith("cli:", StringComparison.Ordinal));
        Assert.NotNull((await db.AccessTokens.SingleAsync()).LastUsedAt);
    }

    [Fact]
    public async Task A_refused_request_is_400_problem_details_naming_the_field_and_starts_no_run()
    {
        await using var app = Start();
        using var client = With(app, await IssueAsync(app, "scripts", TokenScope.Auditor));

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { ipe = "IPE_99", period = "2025-09" }, "ipe"),
            (new { ipe = "IPE_09", period = "2025-13" }, "period"),
            (new { ipe = "IPE_09" }, "period"),
            (new { ipe = "IPE_09", period = "2025-09", parameters = new { no_such = "x" } }, "parameters"),
            (new { ipe = "IPE_09", period = "2025-09", parameters = new { no_such = new { nested = 1 } } }, "parameters"),
        })
        {
            using var response = await client.PostAsync("api/v1/runs", System.Net.Http.Json.JsonContent.Create(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await JsonAsync(response);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{problem} names no '{field}'");
            Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
        }
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task In_production_a_body_that_is_not_JSON_and_a_missing_run_are_answered_with_problem_details()
    {
        var settings = new Dictionary<string, string?>(Unthrottled) { ["SoxAuto:Auth:Mode"] = "Local" };
        await using var app = SoxAutoApp.Start("Production", settings);
        using var client = With(app, await IssueAsync(app, "prod-script", TokenScope.Auditor));

        using var notJson = await client.PostAsync("api/v1/runs", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));
        using var missing = await client.GetAsync("api/v1/runs/999999/extract.csv");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (notJson.StatusCode, notJson.Content.Headers.ContentType?.MediaType));
        Assert.Equal(400, (await JsonAsync(notJson)).GetProperty("status").GetInt32());
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing.StatusCode, missing.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task A_token_cancels_its_own_queued_run_a_run_that_ended_is_409_and_a_run_it_may_not_see_is_404()
    {
        await using var app = Start();
        using var client = With(app, await IssueAsync(app, "canceller", TokenScope.Auditor));
        var dbs = app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();
        // A queued run held by another process's lease: the worker here leaves it alone, so it stays queued.
        int Queued(string by)
        {
            using var db = dbs.CreateDbContext();
            var version = db.IpeVersions.First(v => v.IpeId == "IPE_09");
            var run = new Run
            {
                IpeId = "IPE_09",
                IpeVersionId = version.Id,
                IpeVersionNumber = version.Number,
                Period = Period.Month(2025, 9),
                RequestedBy = by,
                RequestedBySubject = TestPeople.SubjectOf(by),
                RequestedAt = DateTimeOffset.UtcNow,
                State = RunState.Queued,
                Owner = "another-process",
                LeaseExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            };
            db.Runs.Add(run);
            db.SaveChanges();
            return run.Id;
        }
        var mine = Queued("token:canceller");
        var someoneElses = Queued("Ada Auditor");

        using (var cancelled = await client.PostAsync($"api/v1/runs/{mine}/cancel", null))
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        Assert.Equal(RunState.Cancelled, (await RunWaits.LoadAsync(app.Services, mine)).State);
        using (var again = await client.PostAsync($"api/v1/runs/{mine}/cancel", null))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (var other = await client.PostAsync($"api/v1/runs/{someoneElses}/cancel", null))
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using (var look = await client.GetAsync($"api/v1/runs/{someoneElses}"))
            Assert.Equal(HttpStatusCode.NotFound, look.StatusCode);
        Assert.Equal(RunState.Queued, (await RunWaits.LoadAsync(app.Services, someoneElses)).State);
    }
}
