using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The audit trail is one chain however many processes append to it: the web app and headless
/// runs share one data folder, and the database, not a lock in one process, puts their entries in order.</summary>
[Collection(nameof(SeveralProcesses))]
public class AuditChainTests
{
    [Fact]
    public async Task Eight_headless_runs_and_web_sign_ins_appending_at_once_leave_one_linear_chain()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        // The web app migrates and seeds first, so that the headless processes only run and append.
        await using var web = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = data.Folder.Root });

        using var stop = new CancellationTokenSource();
        var signIns = SignInRepeatedlyAsync(web, stop.Token);
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            ChildProcess.HeadlessAsync(data.Folder.Root, "run", "IPE_09", "--period", "2025-09")));
        await stop.CancelAsync();
        var signedIn = await signIns;

        Assert.All(runs, r => Assert.True(r.Exit == 0, r.Stderr));
        Assert.True(signedIn > 0, "The web app recorded no sign-in while the runs went.");
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entries = await db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(8, entries.Count(e => e.Action == "run.succeeded"));
        Assert.Equal(signedIn, entries.Count(e => e.Action == "signin"));
        Assert.Equal(AuditTrail.Genesis, entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++)
            Assert.True(entries[i].PreviousHash == entries[i - 1].Hash,
                $"Entry {entries[i].Id} ({entries[i].Action}) does not follow entry {entries[i - 1].Id}: "
                + $"{entries.Count(e => e.PreviousHash == entries[i].PreviousHash)} entries share its predecessor.");
        Assert.Null(await web.Services.GetRequiredService<AuditTrail>().FirstBrokenEntryAsync());
    }

    /// <summary>Signs Ada in again and again (each sign-in is an audit entry) until told to stop.</summary>
    private static async Task<int> SignInRepeatedlyAsync(SoxAutoApp web, CancellationToken stop)
    {
        var count = 0;
        while (!stop.IsCancellationRequested)
        {
            using var client = await web.SignedInClientAsync("ada");
            count++;
        }
        return count;
    }
}
