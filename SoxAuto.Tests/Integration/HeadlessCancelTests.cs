using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Ctrl+C on a headless run cancels it as the Cancel button does: through the run service, so
/// the duties rule is applied and the request is in the audit trail under the command line's person.</summary>
[Collection(nameof(SeveralProcesses))]
public class HeadlessCancelTests
{
    // Streams rows for minutes: the run is still going when the signal comes.
    private const string EndlessRowsSql = "SELECT range AS n FROM range(2000000000) WHERE {{period_end}} IS NOT NULL";

    [Fact]
    public async Task Ctrl_C_on_a_headless_run_ends_it_Cancelled_and_the_cancel_is_audited_under_the_command_lines_person()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await using var web = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = data.Folder.Root });
        await TestIpes.AddAsync(web.Services, "IPE_ENDLESS", EndlessRowsSql);
        using var headless = ChildProcess.StartHeadless(data.Folder.Root, "run", "IPE_ENDLESS", "--period", "2025-09");
        var runId = await RunWaits.ForRunOfAsync(web.Services, "IPE_ENDLESS");
        await RunWaits.ForExecutionAsync(web.Services, runId);

        using (var interrupt = Process.Start("kill", ["-INT", headless.Id.ToString()]))
            await interrupt.WaitForExitAsync();
        var (exit, _, stderr) = await headless.WaitAsync(TimeSpan.FromMinutes(4)); // generous: the machine is shared

        Assert.True(exit == 1, stderr);
        var run = await RunWaits.ForFinalAsync(web.Services, runId, TimeSpan.FromSeconds(60));
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal($"cli:{Environment.UserName}", run.CancelledBy);
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var cancel = await db.AuditTrail.SingleAsync(a => a.Action == "run.cancel.requested" && a.Subject == $"run/{runId}");
        Assert.Equal(($"cli:{Environment.UserName}", "cli"), (cancel.Who, cancel.Origin));
    }

    [Fact]
    public async Task Ctrl_C_on_run_control_cancels_every_run_of_the_batch_through_the_run_service_and_audits_each()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await using var web = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = data.Folder.Root });
        // First of C-PG-1's IPEs in the batch's order, so it is executing while the others wait or run.
        await TestIpes.AddAsync(web.Services, TestIpes.Definition("CR_00", EndlessRowsSql) with { Control = "C-PG-1" });
        using var headless = ChildProcess.StartHeadless(data.Folder.Root, "run-control", "C-PG-1", "--period", "2025-09");
        var runId = await RunWaits.ForRunOfAsync(web.Services, "CR_00");
        await RunWaits.ForExecutionAsync(web.Services, runId);

        using (var interrupt = Process.Start("kill", ["-INT", headless.Id.ToString()]))
            await interrupt.WaitForExitAsync();
        var (exit, _, stderr) = await headless.WaitAsync(TimeSpan.FromMinutes(4));

        Assert.True(exit == 1, stderr);
        var run = await RunWaits.ForFinalAsync(web.Services, runId, TimeSpan.FromSeconds(60));
        Assert.Equal((RunState.Cancelled, $"cli:{Environment.UserName}"), (run.State, run.CancelledBy));
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var batchRuns = await db.Runs.Where(r => r.BatchId == run.BatchId).ToListAsync();
        Assert.All(batchRuns, r => Assert.True(r.IsFinal, $"run {r.Id} ({r.IpeId}) is {r.State}"));
        var cancelled = await db.AuditTrail.Where(a => a.Action == "run.cancel.requested").ToListAsync();
        Assert.All(cancelled, a => Assert.Equal(($"cli:{Environment.UserName}", "cli"), (a.Who, a.Origin)));
        Assert.Contains(cancelled, a => a.Subject == $"run/{runId}");
        Assert.Equal(batchRuns.Count(r => r.State == RunState.Cancelled), cancelled.Count);
    }
}
