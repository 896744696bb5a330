using System.Globalization;
using Cronos;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Schedules;

/// <summary>
/// When a schedule is due: the occurrences of its cron expression in its time zone (Cronos, which handles
/// daylight-saving changes), narrowed to the N-th business day of the month where it says so. Business days
/// are Monday to Friday except the holidays configured in SoxAuto:Schedules:Holidays.
/// </summary>
public sealed class ScheduleCalendar(IOptions<ScheduleOptions> options)
{
    /// <summary>How far back a missed due time is looked for, and how far ahead upcoming ones.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    public static bool TryParseCron(string? text, out CronExpression cron, out string error)
    {
        error = "";
        cron = null!;
        if (string.IsNullOrWhiteSpace(text) || !CronExpression.TryParse(text.Trim(), CronFormat.Standard, out var parsed))
        {
            error = $"'{text}' is not a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. '0 6 * * *' for 06:00 every day.";
            return false;
        }
        cron = parsed;
        return true;
    }

    public static bool TryFindZone(string? id, out TimeZoneInfo zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id?.Trim() ?? "", out zone!);

    /// <summary>The latest due time after <paramref name="after"/> and at or before <paramref name="now"/>, or null.
    /// Looks back in growing windows, so that a cron firing every minute costs little.</summary>
    public DateTimeOffset? LatestDue(Schedule s, DateTimeOffset after, DateTimeOffset now)
    {
        var (cron, zone) = Parse(s);
        var floor = after > now - Horizon ? after : now - Horizon;
        var to = now;
        for (var window = TimeSpan.FromDays(1); to > floor; window *= 4)
        {
            var from = to - window < floor ? floor : to - window;
            var found = cron.GetOccurrences(from, to, zone, fromInclusive: false, toInclusive: true).Where(o => Fits(s, o, zone)).Select(o => (DateTimeOffset?)o).LastOrDefault();
            if (found is not null) return found;
            to = from;
        }
        return null;
    }

    /// <summary>The next <paramref name="count"/> due times after <paramref name="after"/> (within about a year).</summary>
    public IReadOnlyList<DateTimeOffset> Upcoming(Schedule s, DateTimeOffset after, int count)
    {
        var (cron, zone) = Parse(s);
        var due = new List<DateTimeOffset>();
        var at = after;
        for (var looked = 0; due.Count < count && looked < 100_000; looked++)
        {
            if (cron.GetNextOccurrence(at, zone) is not { } next || next > after + Horizon) break;
            if (Fits(s, next, zone)) due.Add(next);
            at = next;
        }
        return due;
    }

    /// <summary>The period a firing due at <paramref name="due"/> runs: counted from its day in the schedule's time zone.</summary>
    public static string PeriodFor(Schedule s, DateTimeOffset due)
    {
        var (_, zone) = Parse(s);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, zone).DateTime);
        var previousMonth = new DateOnly(day.Year, day.Month, 1).AddMonths(-1);
        if (s.Period == PeriodRule.PreviousMonth)
            return previousMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var previousQuarter = new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1).AddMonths(-3);
        return $"{previousQuarter.Year}-Q{(previousQuarter.Month - 1) / 3 + 1}";
    }

    /// <summary>Which business day of its month <paramref name="day"/> is (1 for the first), or 0 when it is not one.</summary>
    public int BusinessDayOf(DateOnly day)
    {
        if (!IsBusinessDay(day)) return 0;
        var n = 0;
        for (var d = new DateOnly(day.Year, day.Month, 1); d <= day; d = d.AddDays(1))
            if (IsBusinessDay(d)) n++;
        return n;
    }

    private bool IsBusinessDay(DateOnly d) =>
        d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !options.Value.Holidays.Contains(d);

    private bool Fits(Schedule s, DateTimeOffset occurrence, TimeZoneInfo zone) =>
        s.BusinessDay is not { } n || BusinessDayOf(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence, zone).DateTime)) == n;

    private static (CronExpression, TimeZoneInfo) Parse(Schedule s)
    {
        if (!TryParseCron(s.Cron, out var cron, out var error)) throw new ScheduleException(error);
        if (!TryFindZone(s.TimeZone, out var zone)) throw new ScheduleException($"'{s.TimeZone}' is not a time zone this server knows (e.g. Europe/Berlin, America/New_York, UTC).");
        return (cron, zone);
    }
}

/// <summary>A schedule change or setting that cannot be carried out; the message is for the admin.</summary>
public sealed class ScheduleException(string message) : Exception(message);
