using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>
/// A headless run and the web app on one data folder, as separate processes: exactly one process executes
/// a run (the one holding its lease). The web app leaves a run alone while its headless process renews the
/// lease, and takes it over, once, when that process is killed and the lease has run out.
/// </summary>
[Collection(nameof(SeveralProcesses))]
public class RunTakeoverTests
{
    // Short, so that a killed process's run is taken over within seconds; a third of it between renewals.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private static readonly string[] LeaseArgs = ["--SoxAuto:RunLeaseDuration=00:00:03", "--SoxAuto:RunLeaseRenewInterval=00:00:00.250"];

    // A cross join DuckDB needs tens of seconds for (on two cores), and then succeeds.
    private const string SlowSql =
        "SELECT count(*) AS n FROM range(30000) a CROSS JOIN range(30000) b WHERE (a.range * b.range) % 7 = 3 AND {{period_end}} IS NOT NULL";

    // Streams many rows: the engine's result file grows for minutes, so a kill finds it half-written.
    private const string EndlessRowsSql =
        "SELECT range AS n, range % 97 AS k FROM range(2000000000) WHERE {{period_end}} IS NOT NULL";

    // Three million rows: the engine writes them in seconds, the evidence pass takes a while longer.
    private const string ManyRowsSql =
        "SELECT range AS n, range * 3 AS m, 'row ' || range AS label FROM range(3000000) WHERE {{period_end}} IS NOT NULL";

    [Fact]
    public async Task A_web_app_restarting_leaves_a_headless_run_in_progress_alone_and_the_run_succeeds_once()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        int runId = 0;
        string headlessOwner = "";
        using var headless = await StartHeadlessAsync(data, "IPE_SLOW", SlowSql, async web =>
        {
            runId = await RunWaits.ForRunOfAsync(web.Services, "IPE_SLOW");
            headlessOwner = (await RunWaits.ForExecutionAsync(web.Services, runId)).Owner!;
        });

        // The web app restarts (its start-up recovery runs) while the headless process is still working.
        await using var web = StartWeb(data);
        var restartedAt = DateTimeOffset.UtcNow;
        var during = await RunWaits.LoadAsync(web.Services, runId);
        Assert.Equal(headlessOwner, during.Owner);
        Assert.False(during.IsFinal, $"The run ended before the web app had restarted ({during.State}); make its query heavier.");

        var (exit, _, stderr) = await headless.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, stderr);
        var run = await RunWaits.LoadAsync(web.Services, runId);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(headlessOwner, run.Owner);
        Assert.True(run.FinishedAt - restartedAt > Lease,
            "The run ended within one lease of the restart, so this test did not show the web app leaving a renewed lease alone; make the query heavier.");
        Assert.Equal(["run.requested", "run.started", "run.succeeded"], await AuditActionsAsync(web, runId));
        AssertEvidenceIntact(data.Folder, run);
    }

    [Fact]
    public async Task A_headless_run_killed_during_its_query_is_ended_Failed_once_by_the_web_app_and_its_partial_result_removed()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await using var web = StartWeb(data);
        int runId = 0;
        string? partial = null;
        using var headless = await StartHeadlessAsync(data, "IPE_ENDLESS", EndlessRowsSql, async _ =>
        {
            runId = await RunWaits.ForRunOfAsync(web.Services, "IPE_ENDLESS");
            var running = await RunWaits.ForExecutionAsync(web.Services, runId);
            partial = Path.Combine(data.Folder.EngineResults, running.ExecutionId + ".csv.partial");
            await RunWaits.UntilAsync(() => Task.FromResult(File.Exists(partial) && new FileInfo(partial).Length > 0), "the engine's result file");
        }, web);

        await headless.KillAsync();
        var run = await RunWaits.ForFinalAsync(web.Services, runId, TimeSpan.FromSeconds(60));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains($"no longer knows execution {run.ExecutionId}", run.Message);
        Assert.Equal(web.Services.GetRequiredService<RunLeases>().Holder, run.Owner);
        Assert.Equal(["run.requested", "run.started", "run.resumed", "run.failed"], await AuditActionsAsync(web, runId));
        Assert.False(File.Exists(partial), "The killed process's half-written result file is still there.");
        Assert.Empty(Directory.GetFiles(data.Folder.EngineResults, "*.partial"));
        Assert.False(Directory.Exists(Path.Combine(data.Folder.Evidence, $"run-{runId}")));
    }

    [Fact]
    public async Task A_headless_run_killed_while_writing_evidence_is_finished_by_the_web_app_from_the_stored_result()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await using var web = StartWeb(data);
        int runId = 0;
        using var headless = await StartHeadlessAsync(data, "IPE_MANY", ManyRowsSql, async _ =>
        {
            runId = await RunWaits.ForRunOfAsync(web.Services, "IPE_MANY");
            await RunWaits.ForStateAsync(web.Services, runId, RunState.WritingEvidence, TimeSpan.FromSeconds(120));
            var folder = Path.Combine(data.Folder.Evidence, $"run-{runId}");
            await RunWaits.UntilAsync(() => Task.FromResult(Directory.Exists(folder) && Directory.GetFiles(folder, "*.partial").Length > 0),
                "the evidence being written");
        }, web);

        await headless.KillAsync();
        var run = await RunWaits.ForFinalAsync(web.Services, runId, TimeSpan.FromSeconds(120));

        Assert.True(run.State == RunState.Succeeded, run.Message);
        Assert.Equal(3_000_000, run.RowCount);
        Assert.Equal(web.Services.GetRequiredService<RunLeases>().Holder, run.Owner);
        Assert.Equal(["run.requested", "run.started", "run.resumed", "run.succeeded"], await AuditActionsAsync(web, runId));
        AssertEvidenceIntact(data.Folder, run);
    }

    /// <summary>The web app on <paramref name="data"/> with the short lease.</summary>
    private static SoxAutoApp StartWeb(TempDataFolder data) => SoxAutoApp.Start(settings: new Dictionary<string, string?>
    {
        ["SoxAuto:DataPath"] = data.Folder.Root,
        ["SoxAuto:RunLeaseDuration"] = "00:00:03",
        ["SoxAuto:RunLeaseRenewInterval"] = "00:00:00.250",
    });

    /// <summary>Adds the IPE and starts a headless run of it, then waits (<paramref name="until"/>) for the
    /// moment the test needs. A web app (given, or started and stopped here) prepares the database first.</summary>
    private static async Task<ChildProcess.Running> StartHeadlessAsync(TempDataFolder data, string ipe, string sql,
        Func<SoxAutoApp, Task> until, SoxAutoApp? web = null)
    {
        var own = web is null;
        web ??= StartWeb(data);
        try
        {
            await TestIpes.AddAsync(web.Services, ipe, sql);
            var headless = ChildProcess.StartHeadless(data.Folder.Root, ["run", ipe, "--period", "2025-09", .. LeaseArgs]);
            try
            {
                await until(web);
                return headless;
            }
            catch
            {
                headless.Dispose();
                throw;
            }
        }
        finally
        {
            if (own) await web.DisposeAsync();
        }
    }

    /// <summary>The run's audit actions, once its outcome is recorded (just after its final state is saved).</summary>
    private static async Task<List<string>> AuditActionsAsync(SoxAutoApp web, int runId)
    {
        var dbs = web.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();
        List<string> actions = [];
        await RunWaits.UntilAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync();
            actions = await db.AuditTrail.AsNoTracking().Where(a => a.Subject == $"run/{runId}").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            return actions.Any(a => a is "run.succeeded" or "run.failed" or "run.cancelled");
        }, $"the outcome of run {runId} in the audit trail");
        return actions;
    }

    private static void AssertEvidenceIntact(DataFolder folder, Run run)
    {
        Assert.Equal(run.ExtractSha256, Sha256(folder.Absolute(run.ExtractPath!)));
        Assert.Equal(run.WorkbookSha256, Sha256(folder.Absolute(run.WorkbookPath!)));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(folder.Absolute(run.ExtractPath!))!, "*.partial"));
        Assert.Empty(Directory.GetFiles(folder.EngineResults, "*.partial"));
    }

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
