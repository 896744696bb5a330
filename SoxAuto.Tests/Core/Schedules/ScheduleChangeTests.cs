using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Schedules;

/// <summary>Only admins change schedules; every change is in the audit trail with the settings before and
/// after; a schedule that could never fire is refused with the reason, and nothing is saved.</summary>
public sealed class ScheduleChangeTests : IAsyncLifetime
{
    private static readonly Actor Admin = new("Alan Admin", "test", IsAdmin: true, SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
    private static readonly ScheduleDraft MonthEnd = new("c-pg-1-month-end", ScheduleTarget.Control, "C-PG-1", "0 6 * * *", 2, "Europe/Berlin", PeriodRule.PreviousMonth);
    private CoreHost _app = null!;

    public async Task InitializeAsync() => _app = await CoreHost.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Creating_changing_pausing_resuming_and_deleting_a_schedule_are_each_audited_with_before_and_after()
    {
        var schedules = _app.Get<ScheduleService>();
        var s = await schedules.CreateAsync(MonthEnd, Admin);
        await schedules.ChangeAsync(s.Id, MonthEnd with { Cron = "0 7 * * *" }, Admin);
        await schedules.PauseAsync(s.Id, true, Admin);
        await schedules.PauseAsync(s.Id, false, Admin);
        await schedules.DeleteAsync(s.Id, Admin);

        await using var db = await _app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entries = await db.AuditTrail.Where(e => e.Subject == "schedule/c-pg-1-month-end").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["schedule.created", "schedule.changed", "schedule.paused", "schedule.resumed", "schedule.deleted"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("Alan Admin", e.Who));
        Assert.Contains("cron '0 6 * * *'", entries[1].Detail.Split(" | ")[0]);
        Assert.Contains("cron '0 7 * * *'", entries[1].Detail.Split(" | ")[1]);
        Assert.Contains("active", entries[2].Detail.Split(" | ")[0]);
        Assert.EndsWith("paused", entries[2].Detail.Split(" | ")[1]);
        Assert.Contains("business day 2 of the month; time zone Europe/Berlin; previous month", entries[4].Detail);
        Assert.Empty(await db.Schedules.ToListAsync());
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_cannot_create_a_schedule()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _app.Get<ScheduleService>().CreateAsync(MonthEnd, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") }));
        await using var db = await _app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Empty(await db.Schedules.ToListAsync());
    }

    [Fact]
    public async Task A_schedule_that_could_never_fire_is_refused_with_every_reason()
    {
        var e = await Assert.ThrowsAsync<ScheduleException>(() => _app.Get<ScheduleService>().CreateAsync(
            new ScheduleDraft("Month End!", ScheduleTarget.Ipe, "IPE_99", "every day", 30, "Mars/Olympus", PeriodRule.PreviousMonth), Admin));

        Assert.Contains("'Month End!' is not a schedule name", e.Message);
        Assert.Contains("five fields", e.Message);
        Assert.Contains("'Mars/Olympus' is not a time zone", e.Message);
        Assert.Contains("between 1 and 23", e.Message);
        Assert.Contains("no approved IPE called 'IPE_99'", e.Message);
        await _app.Get<ScheduleService>().CreateAsync(MonthEnd, Admin);
        var twice = await Assert.ThrowsAsync<ScheduleException>(() => _app.Get<ScheduleService>().CreateAsync(MonthEnd, Admin));
        Assert.Contains("already a schedule called 'c-pg-1-month-end'", twice.Message);
    }
}
