using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Schedules;

/// <summary>
/// A schedule fires at its due time for the right period, under its own name, once: the app's clock (a fake
/// one here, no sleeps) decides when; the database decides who fires. After downtime only the latest missed
/// due time fires, once, however many times the app starts and however many instances start together.
/// </summary>
public sealed class ScheduleFiringTests
{
    private static readonly Actor Admin = new("Alan Admin", "test", IsAdmin: true, SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Alan Admin") };

    /// <summary>Business day 2 at 06:00 in Berlin, the previous month, for one IPE (lighter than a whole control).</summary>
    private static readonly ScheduleDraft MonthEnd = new("ipe-09-month-end", ScheduleTarget.Ipe, "IPE_09", "0 6 * * *", 2, "Europe/Berlin", PeriodRule.PreviousMonth);

    /// <summary>The app on a fake clock, without the worker: these tests are about what a firing requests, and a
    /// run's polling would wait on the fake clock forever. The check is hourly: the fake clock fires a periodic
    /// timer once per period it jumps over, and these tests jump months.</summary>
    private static Task<CoreHost> StartAsync(string dataPath, FakeTimeProvider clock) =>
        CoreHost.StartAsync(dataPath, new() { ["SoxAuto:Schedules:CheckInterval"] = "01:00:00" }, s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RunWorker)));
        });

    [Fact]
    public async Task A_schedule_fires_on_business_day_2_of_October_in_its_time_zone_for_September_under_its_own_name_once()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(data.Folder.Root, clock);
        await app.Get<ScheduleService>().CreateAsync(MonthEnd, Admin);

        // 06:00 in Berlin on Thursday 2 October 2025 is 04:00 UTC (summer time).
        clock.SetUtcNow(new DateTimeOffset(2025, 10, 2, 3, 59, 0, TimeSpan.Zero));
        Assert.Equal(0, await app.Get<ScheduleFirings>().FireDueAsync(default));
        Assert.Empty(await FiringsAsync(app));

        clock.SetUtcNow(new DateTimeOffset(2025, 10, 2, 4, 0, 30, TimeSpan.Zero));
        await app.Get<ScheduleFirings>().FireDueAsync(default); // the app's own check may have fired it first: either way, once
        await app.Get<ScheduleFirings>().FireDueAsync(default);

        var firing = Assert.Single(await FiringsAsync(app));
        Assert.Equal((new DateTimeOffset(2025, 10, 2, 4, 0, 0, TimeSpan.Zero), "2025-09", false), (firing.DueAt, firing.PeriodText, firing.CaughtUp));
        var run = await app.LoadAsync(firing.RunId!.Value);
        Assert.Equal(("IPE_09", "2025-09", "schedule:ipe-09-month-end"), (run.IpeId, run.PeriodText, run.RequestedBy));
        Assert.Single(await RunsAsync(app));
        Assert.Equal(["schedule.created", "schedule.fired"], await AuditAsync(app, "schedule."));
    }

    [Fact]
    public async Task Due_times_missed_while_the_app_was_down_fire_once_for_the_latest_and_never_again_across_restarts()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 20, 12, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(data.Folder.Root, clock))
            await before.Get<ScheduleService>().CreateAsync(MonthEnd, Admin);

        // Down until 15 January: October, November, December and January's business day 2 were missed.
        clock.SetUtcNow(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        await using (var back = await StartAsync(data.Folder.Root, clock))
        {
            await RunWaits.UntilAsync(async () => (await FiringsAsync(back)).Count > 0, "the catch-up firing");
            await back.Get<ScheduleFirings>().FireDueAsync(default);
            var firing = Assert.Single(await FiringsAsync(back));
            // Friday 2 January 2026, 06:00 in Berlin (winter time): 05:00 UTC; the period before it is December.
            Assert.Equal((new DateTimeOffset(2026, 1, 2, 5, 0, 0, TimeSpan.Zero), "2025-12", true), (firing.DueAt, firing.PeriodText, firing.CaughtUp));
        }

        await using var again = await StartAsync(data.Folder.Root, clock);
        await again.Get<ScheduleFirings>().FireDueAsync(default);
        Assert.Single(await FiringsAsync(again));
        Assert.Single(await RunsAsync(again));

        // The next due time fires as usual: Tuesday 3 February 2026 (the 1st is a Sunday), for January.
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 3, 5, 0, 1, TimeSpan.Zero));
        await again.Get<ScheduleFirings>().FireDueAsync(default);
        Assert.Equal(["2025-12", "2026-01"], (await FiringsAsync(again)).Select(f => f.PeriodText));
        Assert.Equal(2, (await RunsAsync(again)).Count);
    }

    [Fact]
    public async Task Two_instances_starting_together_after_downtime_fire_the_missed_due_time_once()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 20, 12, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(data.Folder.Root, clock))
            await before.Get<ScheduleService>().CreateAsync(MonthEnd with { Target = ScheduleTarget.Control, TargetId = "C-PG-1" }, Admin);

        clock.SetUtcNow(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
        var starting = await Task.WhenAll(StartAsync(data.Folder.Root, clock), StartAsync(data.Folder.Root, clock));
        await using var a = starting[0];
        await using var b = starting[1];
        await Task.WhenAll(a.Get<ScheduleFirings>().FireDueAsync(default), b.Get<ScheduleFirings>().FireDueAsync(default));

        var firing = Assert.Single(await FiringsAsync(a));
        Assert.Equal("2025-09", firing.PeriodText);
        await using var db = await a.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var batch = Assert.Single(await db.Batches.ToListAsync());
        Assert.Equal((firing.BatchId, "C-PG-1", "2025-09", "schedule:ipe-09-month-end"), ((int?)batch.Id, batch.ControlId, batch.PeriodText, batch.RequestedBy));
        // The whole batch, written with its firing: every approved IPE of the control, then the reconciliation.
        var runs = await RunsAsync(a);
        Assert.Equal(12, runs.Count);
        Assert.All(runs, r => Assert.Equal(batch.Id, r.BatchId));
        Assert.Equal(RunKind.Reconciliation, runs[^1].Kind);
    }

    internal static async Task<List<ScheduleFiring>> FiringsAsync(CoreHost app)
    {
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.ScheduleFirings.AsNoTracking().OrderBy(f => f.Id).ToListAsync();
    }

    private static async Task<List<Run>> RunsAsync(CoreHost app)
    {
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.Runs.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    internal static async Task<List<string>> AuditAsync(CoreHost app, string prefix)
    {
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.AuditTrail.Where(e => e.Action.StartsWith(prefix)).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
    }
}
