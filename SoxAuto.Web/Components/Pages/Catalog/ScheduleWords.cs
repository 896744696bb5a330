using SoxAuto.Core.Schedules;

namespace SoxAuto.Web.Components.Pages.Catalog;

/// <summary>A schedule in the words of a period-close calendar: "C-PG-1 (all IPEs, then the reconciliation),
/// business day 2 of the month, cron '0 6 * * *' in Europe/Berlin, for the previous month".</summary>
public static class ScheduleWords
{
    public static string What(Schedule s) =>
        (s.Target == ScheduleTarget.Control ? $"{s.TargetId} (all IPEs, then the reconciliation)" : s.TargetId)
        + (s.BusinessDay is { } d ? $", business day {d} of the month" : "")
        + $", cron '{s.Cron}' in {s.TimeZone}, for the {(s.Period == PeriodRule.PreviousMonth ? "previous month" : "previous quarter")}";
}
