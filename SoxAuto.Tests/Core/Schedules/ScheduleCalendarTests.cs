using Microsoft.Extensions.Options;
using SoxAuto.Core.Schedules;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Schedules;

/// <summary>When a period-close schedule is due, and for which period: business days counted in the schedule's
/// own time zone, holidays skipped, the period counted from the day it fires.</summary>
public sealed class ScheduleCalendarTests
{
    private static ScheduleCalendar Calendar(params DateOnly[] holidays) =>
        new(Options.Create(new ScheduleOptions { Holidays = [.. holidays] }));

    private static Schedule BusinessDay2(string zone, string cron = "30 0 * * *", PeriodRule period = PeriodRule.PreviousMonth) => new()
    {
        Name = "month-end",
        TargetId = "C-PG-1",
        Cron = cron,
        BusinessDay = 2,
        TimeZone = zone,
        Period = period,
        CreatedBy = "test",
        CreatedBySubject = TestPeople.SubjectOf("test"),
    };

    [Fact]
    public void Business_day_2_of_October_2025_at_0030_in_Tokyo_is_due_on_the_2nd_there_for_September()
    {
        var s = BusinessDay2("Asia/Tokyo");
        var due = Calendar().LatestDue(s, new DateTimeOffset(2025, 9, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 10, 10, 0, 0, 0, TimeSpan.Zero));

        // 00:30 on Thursday 2 October in Tokyo is 15:30 UTC on Wednesday 1 October, business day 1 in UTC.
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 15, 30, 0, TimeSpan.Zero), due);
        Assert.Equal("2025-09", ScheduleCalendar.PeriodFor(s, due!.Value));
    }

    [Fact]
    public void The_same_schedule_in_UTC_is_due_a_day_later()
    {
        var s = BusinessDay2("UTC");
        var due = Calendar().LatestDue(s, new DateTimeOffset(2025, 9, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 10, 10, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2025, 10, 2, 0, 30, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void Weekends_and_configured_holidays_are_not_business_days()
    {
        // November 2025 starts on a Saturday: business day 2 is Tuesday the 4th; with the 3rd a holiday, Wednesday the 5th.
        var s = BusinessDay2("UTC");
        Assert.Equal(new DateTimeOffset(2025, 11, 4, 0, 30, 0, TimeSpan.Zero), Calendar().Upcoming(s, new DateTimeOffset(2025, 10, 20, 0, 0, 0, TimeSpan.Zero), 1).Single());
        Assert.Equal(new DateTimeOffset(2025, 11, 5, 0, 30, 0, TimeSpan.Zero),
            Calendar(new DateOnly(2025, 11, 3)).Upcoming(s, new DateTimeOffset(2025, 10, 20, 0, 0, 0, TimeSpan.Zero), 1).Single());
    }

    [Fact]
    public void Only_the_latest_of_several_missed_due_times_is_returned_and_none_before_the_start()
    {
        var s = BusinessDay2("UTC");
        var calendar = Calendar();
        var since = new DateTimeOffset(2025, 9, 20, 0, 0, 0, TimeSpan.Zero);

        // Down from 20 September to 15 January: October, November, December and January were missed; January's is the one.
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 30, 0, TimeSpan.Zero), calendar.LatestDue(s, since, new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(calendar.LatestDue(s, since, new DateTimeOffset(2025, 10, 1, 23, 0, 0, TimeSpan.Zero)));
        Assert.Null(calendar.LatestDue(s, new DateTimeOffset(2025, 10, 2, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2025, 10, 30, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_quarterly_schedule_runs_the_previous_quarter()
    {
        var s = BusinessDay2("Europe/Berlin", period: PeriodRule.PreviousQuarter);
        Assert.Equal("2025-Q3", ScheduleCalendar.PeriodFor(s, new DateTimeOffset(2025, 10, 2, 4, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2025-Q4", ScheduleCalendar.PeriodFor(s, new DateTimeOffset(2026, 1, 5, 4, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("every day at six")]
    [InlineData("0 6 * *")]
    [InlineData("61 6 * * *")]
    public void A_malformed_cron_expression_is_refused_with_the_expected_form(string cron)
    {
        Assert.False(ScheduleCalendar.TryParseCron(cron, out _, out var error));
        Assert.Contains("five fields", error);
    }
}
