using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>A run through the real app on a loopback port, and its evidence fetched over HTTP.</summary>
public class EvidenceDownloadTests
{
    [Fact]
    public async Task The_downloaded_files_hash_to_what_the_run_records_and_each_download_is_audited()
    {
        await using var app = SoxAutoApp.Start();
        var run = await RunAsync(app, "IPE_09", "2025-09");
        Assert.Equal(RunState.Succeeded, run.State);
        using var ada = await app.SignedInClientAsync("Ada Auditor");

        using var csv = await ada.GetAsync($"runs/{run.Id}/extract.csv");
        using var xlsx = await ada.GetAsync($"runs/{run.Id}/evidence.xlsx");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal($"IPE_09_2025-09_run-{run.Id}.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(run.ExtractSha256, Convert.ToHexStringLower(SHA256.HashData(await csv.Content.ReadAsByteArrayAsync())));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(run.WorkbookSha256, Convert.ToHexStringLower(SHA256.HashData(await xlsx.Content.ReadAsByteArrayAsync())));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var downloads = await db.AuditTrail.Where(a => a.Action == "evidence.downloaded" && a.Subject == $"run/{run.Id}").ToListAsync();
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, d => Assert.Equal("Ada Auditor", d.Who));
        Assert.Contains(downloads, d => d.Detail.Contains(run.ExtractSha256!));
    }

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_sign_in_and_gets_no_evidence()
    {
        await using var app = SoxAutoApp.Start();
        var run = await RunAsync(app, "IPE_09", "2025-09");
        using var anonymous = app.AnonymousClient();

        using var response = await anonymous.GetAsync($"runs/{run.Id}/evidence.xlsx");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_missing_or_cancelled_run_has_no_evidence_to_download()
    {
        await using var app = SoxAutoApp.Start();
        var runs = app.Services.GetRequiredService<RunService>();
        using var ada = await app.SignedInClientAsync("Ada Auditor");
        using var missing = await ada.GetAsync("runs/999/extract.csv");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var queued = await runs.RequestAsync("CR_03", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        await runs.CancelAsync(queued.Id, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        await WaitAsync(app, queued.Id);
        using var cancelled = await ada.GetAsync($"runs/{queued.Id}/evidence.xlsx");
        Assert.Equal(HttpStatusCode.NotFound, cancelled.StatusCode);
    }

    private static async Task<Run> RunAsync(SoxAutoApp app, string ipe, string period)
    {
        var run = await app.Services.GetRequiredService<RunService>().RequestAsync(ipe, period, null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        return await WaitAsync(app, run.Id);
    }

    private static Task<Run> WaitAsync(SoxAutoApp app, int runId) => RunWaits.ForFinalAsync(app.Services, runId);
}
