using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>SIGTERM (systemd stopping the service, a container stopping) in the middle of a run: the web app
/// ends cleanly, leaves the run unfinished and let go of, and the next start runs it to its end.</summary>
[Collection(nameof(SeveralProcesses))]
public class GracefulShutdownTests
{
    // A cross join DuckDB needs several seconds for, and then succeeds.
    private const string SlowSql =
        "SELECT count(*) AS n FROM range(20000) a CROSS JOIN range(20000) b WHERE (a.range * b.range) % 7 = 3 AND {{period_end}} IS NOT NULL";

    [Fact]
    public async Task A_run_interrupted_by_SIGTERM_is_left_resumable_and_ends_Succeeded_after_the_restart()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var settings = new Dictionary<string, string>
        {
            ["SoxAuto:DataPath"] = data.Folder.Root,
            ["SoxAuto:LakePath"] = DemoLakeFixture.SharedLakePath,
            ["SoxAuto:PollInterval"] = "00:00:00.050",
            ["SoxAuto:RunLeaseRenewInterval"] = "00:00:00.250",
        };
        // Another process's services on the same folder (not started: no worker of its own) request the run.
        using var requester = Requester(data.Folder.Root);
        await requester.Services.GetRequiredService<StartupTasks>().PrepareAsync(CancellationToken.None);
        await TestIpes.AddAsync(requester.Services, "IPE_SLOW", SlowSql);

        int runId;
        await using (var web = await WebAppProcess.StartAsync("Development", settings))
        {
            runId = (await requester.Services.GetRequiredService<RunService>()
                .RequestAsync("IPE_SLOW", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") })).Id;
            await RunWaits.ForExecutionAsync(requester.Services, runId);

            var exit = await web.TerminateAsync();
            Assert.True(exit == 0, web.Output);
            Assert.Contains($"Run {runId} was interrupted because the app is stopping", web.Output);
        }

        var left = await RunWaits.LoadAsync(requester.Services, runId);
        Assert.False(left.IsFinal, $"The run ended before the SIGTERM ({left.State}: {left.Message}); make its query heavier.");
        Assert.Null(left.ExecutionId);   // the local engine's query ended with the process: it starts afresh
        Assert.True(left.LeaseExpiresAt <= DateTimeOffset.UtcNow, "The stopped process did not let go of the run.");

        var dbs = requester.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();
        async Task<List<string>> TrailAsync()
        {
            await using var db = await dbs.CreateDbContextAsync();
            return await db.AuditTrail.Where(a => a.Subject == $"run/{runId}").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        }
        await using (var again = await WebAppProcess.StartAsync("Development", settings))
        {
            var run = await RunWaits.ForFinalAsync(requester.Services, runId, TimeSpan.FromMinutes(5));
            Assert.True(run.State == RunState.Succeeded, run.Message + again.Output);
            Assert.Equal(1, run.RowCount);
            // The outcome is recorded in the audit trail just after it is saved.
            await RunWaits.UntilAsync(async () => (await TrailAsync()).Contains("run.succeeded"), "the run's outcome in the audit trail");
        }
        // Begun by the first process, taken over by the second, ended once.
        Assert.Equal(["run.requested", "run.started", "run.resumed", "run.succeeded"], await TrailAsync());
    }

    private static IHost Requester(string dataPath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = dataPath, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SoxAuto:DataPath"] = dataPath,
            ["SoxAuto:LakePath"] = DemoLakeFixture.SharedLakePath,
        });
        builder.AddSoxAutoCore();
        return builder.Build();
    }
}
