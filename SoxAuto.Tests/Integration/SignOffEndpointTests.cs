using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Review;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary><c>POST /runs/{id}/signoff</c> through the real app: reviewers only, never one's own run.</summary>
public sealed class SignOffEndpointTests
{
    [Fact]
    public async Task The_endpoint_refuses_the_person_who_ran_the_run_and_records_a_reviewers_approval_with_its_comment()
    {
        await using var app = SoxAutoApp.Start();
        var run = await app.RunToEndAsync("IPE_09", "2025-09", "Casey Controller");
        using var casey = await app.SignedInClientAsync("Casey Controller");
        using var rita = await app.SignedInClientAsync("Rita Reviewer");
        using var ada = await app.SignedInClientAsync("Ada Auditor");

        using var own = await casey.PostAsJsonAsync($"runs/{run.Id}/signoff", new { decision = "Approved", comment = "Mine, and fine." });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("someone else must sign it off", await own.Content.ReadAsStringAsync());
        using var auditor = await ada.PostAsJsonAsync($"runs/{run.Id}/signoff", new { decision = "Approved", comment = "ok" });
        Assert.NotEqual(HttpStatusCode.OK, auditor.StatusCode);   // not a reviewer: the policy refuses before the service
        Assert.Null(await app.Services.GetRequiredService<ReviewService>().SignOffOfAsync(run.Id));

        using var approved = await rita.PostAsJsonAsync($"runs/{run.Id}/signoff", new { decision = "Approved", comment = "Agreed to the ledger." });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var body = JsonDocument.Parse(await approved.Content.ReadAsStringAsync());
        Assert.Equal("Rita Reviewer", body.RootElement.GetProperty("by").GetString());
        Assert.Equal("Agreed to the ledger.", body.RootElement.GetProperty("comment").GetString());
        Assert.Equal(run.ExtractSha256, body.RootElement.GetProperty("files")[1].GetProperty("sha256").GetString());
        using var again = await rita.PostAsJsonAsync($"runs/{run.Id}/signoff", new { decision = "Rejected", comment = "Changed my mind." });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
