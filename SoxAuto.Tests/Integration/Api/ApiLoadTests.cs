using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Tokens;
using static SoxAuto.Tests.Integration.Api.ApiClient;

namespace SoxAuto.Tests.Integration.Api;

/// <summary>Many requests at once on loopback: nothing lost, nothing duplicated.</summary>
public sealed class ApiLoadTests
{
    [Fact]
    public async Task Twenty_runs_posted_at_once_all_end_Succeeded_with_twenty_distinct_ids_twenty_rows_in_the_database_and_twenty_audit_entries()
    {
        await using var app = Start();
        using var client = With(app, await IssueAsync(app, "load", TokenScope.Auditor));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => StartRunAsync(client)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = new List<int>();
        foreach (var r in responses)
            using (r)
                ids.Add((await JsonAsync(r)).GetProperty("id").GetInt32());
        Assert.Equal(20, ids.Distinct().Count());
        var ended = await Task.WhenAll(ids.Select(id => UntilEndedAsync(client, id, TimeSpan.FromMinutes(6))));
        Assert.All(ended, run => Assert.Equal("Succeeded", run.GetProperty("state").GetString()));
        Assert.Single(ended.Select(run => run.GetProperty("extract").GetProperty("sha256").GetString()).Distinct());   // same data, same hash

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal(ids.Order(), await db.Runs.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        var requested = await db.AuditTrail.Where(a => a.Action == "run.requested").ToListAsync();
        Assert.Equal(ids.Select(id => $"run/{id}").Order(), requested.Select(a => a.Subject).Order());
        Assert.All(requested, a => Assert.Equal("token:load", a.Who));
    }
}
