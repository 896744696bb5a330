using SoxAuto.Core.Batches;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Schedules;

/// <summary>What a schedule runs: a whole control (a batch: its IPEs, then its reconciliation) or one IPE.</summary>
public enum ScheduleTarget { Control, Ipe }

/// <summary>Which period a firing runs, counted from the day it fires (in the schedule's time zone). Only
/// closed periods: evidence is never produced for a period that has not ended.</summary>
public enum PeriodRule { PreviousMonth, PreviousQuarter }

/// <summary>
/// "Business day 2 of each month at 06:00 Europe/Berlin, the previous month, for C-PG-1": when
/// (<see cref="Cron"/> in <see cref="TimeZone"/>, narrowed to one business day of the month), what
/// (<see cref="Target"/>) and for which period (<see cref="Period"/>). Runs it starts are requested by
/// <c>schedule:&lt;name&gt;</c>. Changed only by admins, every change audited.
/// </summary>
public sealed class Schedule
{
    public int Id { get; set; }
    /// <summary>Lower-case letters, digits and dashes; the runs' requester is <c>schedule:{Name}</c>.</summary>
    public required string Name { get; set; }
    public ScheduleTarget Target { get; set; }
    /// <summary>The control (C-PG-1) or the IPE (IPE_09).</summary>
    public required string TargetId { get; set; }
    /// <summary>A five-field cron expression (minute hour day-of-month month day-of-week), e.g. <c>0 6 * * *</c>.</summary>
    public required string Cron { get; set; }
    /// <summary>When set, only an occurrence on this business day of its month (Mon-Fri, not a configured holiday) fires.</summary>
    public int? BusinessDay { get; set; }
    /// <summary>An IANA time zone id (Europe/Berlin, America/New_York, UTC).</summary>
    public required string TimeZone { get; set; }
    public PeriodRule Period { get; set; }
    public bool Paused { get; set; }
    /// <summary>Occurrences before this moment never fire: set when the schedule is created, changed or resumed.</summary>
    public DateTimeOffset ActiveSince { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>Who (<see cref="SoxAuto.Core.Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string CreatedBySubject { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? ChangedBy { get; set; }
    public string? ChangedBySubject { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }

    public string Requester => RequesterOf(Name);

    public static string RequesterOf(string name) => $"schedule:{name}";

    /// <summary>Every setting in words, one line each: the before and after of an audited change.</summary>
    public string SettingsText() => string.Join("; ",
        $"name {Name}", $"{(Target == ScheduleTarget.Control ? "control" : "IPE")} {TargetId}", $"cron '{Cron}'",
        BusinessDay is { } d ? $"business day {d} of the month" : "any day the cron allows", $"time zone {TimeZone}",
        Period == PeriodRule.PreviousMonth ? "previous month" : "previous quarter", Paused ? "paused" : "active");
}

/// <summary>
/// One due time of a schedule that fired: claimed by inserting this row (unique on schedule and due time)
/// in the same transaction as the batch or run it starts, so that however many processes share the data
/// folder, and across restarts, a due time fires at most once. A firing that could not start anything
/// (the IPE is no longer approved, say) keeps the reason in <see cref="Problem"/>.
/// </summary>
public sealed class ScheduleFiring
{
    public int Id { get; set; }
    /// <summary>Null once the schedule has been deleted; <see cref="ScheduleName"/> still says which it was.</summary>
    public int? ScheduleId { get; set; }
    public required string ScheduleName { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset FiredAt { get; set; }
    /// <summary>True when the app was down at the due time and fired it when it came back.</summary>
    public bool CaughtUp { get; set; }
    public required string PeriodText { get; set; }
    public int? BatchId { get; set; }
    public Batch? Batch { get; set; }
    public int? RunId { get; set; }
    public Run? Run { get; set; }
    public string? Problem { get; set; }
}
