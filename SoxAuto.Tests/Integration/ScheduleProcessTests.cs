using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>
/// Schedules with the web app as real processes on one data folder: two instances starting together after
/// downtime fire a missed due time once; an instance killed (SIGKILL) during a scheduled batch leaves, after
/// its restart, every run ended (resumed and succeeded, or failed with its reason) and the firing not repeated.
/// </summary>
[Collection(nameof(SeveralProcesses))]
public class ScheduleProcessTests
{
    private const string FirstCheck = "Schedules: the first check after start-up is done";
    private static readonly Actor Admin = new("Alan Admin", "test", IsAdmin: true, SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Alan Admin") };

    [Fact]
    public async Task Two_web_apps_starting_together_after_downtime_fire_the_missed_due_time_once_and_a_restart_does_not_fire_it_again()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await CreateMissedScheduleAsync(data, new("ipe-09-daily", ScheduleTarget.Ipe, "IPE_09", "0 6 * * *", null, "UTC", PeriodRule.PreviousMonth));

        var both = await Task.WhenAll(StartWebAsync(data), StartWebAsync(data));
        await using (var a = both[0])
        await using (var b = both[1])
        {
            await RunWaits.UntilAsync(() => Task.FromResult(a.Output.Contains(FirstCheck) && b.Output.Contains(FirstCheck)), "both apps' first schedule check", TimeSpan.FromMinutes(3));
            await using var db = Db(data);
            var firing = Assert.Single(await db.ScheduleFirings.ToListAsync());
            Assert.True(firing.CaughtUp);
            var run = Assert.Single(await db.Runs.ToListAsync());
            Assert.Equal((firing.RunId, "schedule:ipe-09-daily"), ((int?)run.Id, run.RequestedBy));
        }

        await using var again = await StartWebAsync(data);
        await RunWaits.UntilAsync(() => Task.FromResult(again.Output.Contains(FirstCheck)), "the restarted app's first schedule check", TimeSpan.FromMinutes(3));
        await RunWaits.UntilAsync(async () => { await using var db = Db(data); return await db.Runs.AllAsync(r => r.State == RunState.Succeeded); },
            "the scheduled run to succeed", TimeSpan.FromMinutes(3));
        await using (var db = Db(data))
        {
            Assert.Single(await db.ScheduleFirings.ToListAsync());
            Assert.Single(await db.Runs.ToListAsync());
        }
    }

    [Fact]
    public async Task A_web_app_killed_during_a_scheduled_batch_ends_every_run_after_its_restart_and_does_not_fire_the_schedule_again()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        await CreateMissedScheduleAsync(data, new("c-pg-1-daily", ScheduleTarget.Control, "C-PG-1", "0 6 * * *", null, "UTC", PeriodRule.PreviousMonth));

        await using (var first = await StartWebAsync(data))
        {
            // Killed while the batch is under way: some run has started and the batch has not ended.
            await RunWaits.UntilAsync(async () =>
            {
                await using var db = Db(data);
                return await db.Runs.AnyAsync(r => r.State == RunState.Running || r.State == RunState.WritingEvidence);
            }, "a run of the scheduled batch to be under way", TimeSpan.FromMinutes(3));
            await first.KillAsync();
        }
        await using (var db = Db(data))
        {
            Assert.Null((await db.Batches.SingleAsync()).EndedAt);
            Assert.Contains(await db.Runs.ToListAsync(), r => !r.IsFinal);
        }

        await using var restarted = await StartWebAsync(data);
        await RunWaits.UntilAsync(async () => { await using var db = Db(data); return (await db.Batches.SingleAsync()).EndedAt is not null; },
            "the batch to end after the restart", TimeSpan.FromMinutes(8));
        await using (var db = Db(data))
        {
            var runs = await db.Runs.ToListAsync();
            Assert.Equal(12, runs.Count); // the batch's own runs: none started twice
            Assert.All(runs, r => Assert.True(r.State == RunState.Succeeded || (r.State == RunState.Failed && !string.IsNullOrWhiteSpace(r.Message)),
                $"run {r.Id} ({r.IpeId}) ended {r.State}: {r.Message}"));
            Assert.Single(await db.ScheduleFirings.ToListAsync());
            Assert.Single(await db.Batches.ToListAsync());
            Assert.Single(await db.AuditTrail.Where(e => e.Action == "batch.ended").ToListAsync());
        }
    }

    /// <summary>A schedule created three days ago (so that a due time was missed while no app ran), without an app running.</summary>
    private static async Task CreateMissedScheduleAsync(TempDataFolder data, ScheduleDraft draft)
    {
        await using (var app = await CoreHost.StartAsync(data.Folder.Root, services: s =>
                         s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ScheduleClock)))))
            await app.Get<ScheduleService>().CreateAsync(draft, Admin);
        await using var db = Db(data);
        var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3);
        await db.Schedules.ExecuteUpdateAsync(u => u.SetProperty(s => s.ActiveSince, threeDaysAgo));
    }

    private static Task<WebAppProcess> StartWebAsync(TempDataFolder data) => WebAppProcess.StartAsync("Development", new Dictionary<string, string>
    {
        ["SoxAuto:DataPath"] = data.Folder.Root,
        ["SoxAuto:LakePath"] = DemoLakeFixture.SharedLakePath,
        ["SoxAuto:Schedules:CheckInterval"] = "00:00:01",
        // Short, so that the killed app's runs are taken over within seconds of the restart.
        ["SoxAuto:RunLeaseDuration"] = "00:00:03",
        ["SoxAuto:RunLeaseRenewInterval"] = "00:00:00.250",
    });

    private static SoxAutoDb Db(TempDataFolder data) =>
        new(new DbContextOptionsBuilder<SoxAutoDb>().UseSqlite($"Data Source={data.Folder.DatabaseFile};Pooling=False").Options);
}
