using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Schedules;

/// <summary>A schedule as an admin enters it.</summary>
public sealed record ScheduleDraft(string Name, ScheduleTarget Target, string TargetId, string Cron, int? BusinessDay, string TimeZone, PeriodRule Period);

/// <summary>A schedule with its next due times and its latest firings: what the catalog and the admin page show.</summary>
public sealed record ScheduleOverview(Schedule Schedule, IReadOnlyList<DateTimeOffset> Upcoming, IReadOnlyList<ScheduleFiring> Recent);

/// <summary>
/// Admins create, change, pause, resume and delete schedules; every change is recorded in the audit trail
/// with the settings before and after. No second admin approves a schedule: it only decides when approved IPE
/// versions run, never what they run or how a result is judged (that is the SQL and the thresholds, which do
/// need a second admin), and every run it starts is recorded under its own name.
/// </summary>
public sealed partial class ScheduleService(
    IDbContextFactory<SoxAutoDb> dbs, IpeCatalog catalog, ControlChanges controls, ScheduleCalendar calendar, AuditTrail audit, TimeProvider clock)
{
    public async Task<Schedule> CreateAsync(ScheduleDraft draft, Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await EnsureValidAsync(draft, ct);
        var now = clock.GetUtcNow();
        var schedule = new Schedule
        {
            Name = "",
            TargetId = "",
            Cron = "",
            TimeZone = "",
            CreatedBy = actor.Name,
            CreatedBySubject = actor.Subject,
            CreatedAt = now,
            ActiveSince = now,
        };
        Apply(schedule, draft);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Schedules.Add(schedule);
            await SaveUniqueAsync(db, schedule.Name, ct);
        }
        await audit.RecordAsync(actor, "schedule.created", Subject(schedule), $"after: {schedule.SettingsText()}", ct);
        return schedule;
    }

    /// <summary>Changes a schedule's settings. Due times before the change never fire under the new settings.</summary>
    public async Task<Schedule> ChangeAsync(int id, ScheduleDraft draft, Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await EnsureValidAsync(draft, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedule = await FindAsync(db, id, ct);
        var before = schedule.SettingsText();
        Apply(schedule, draft);
        var now = clock.GetUtcNow();
        (schedule.ChangedBy, schedule.ChangedBySubject, schedule.ChangedAt, schedule.ActiveSince) = (actor.Name, actor.Subject, now, now);
        await SaveUniqueAsync(db, schedule.Name, ct);
        await audit.RecordAsync(actor, "schedule.changed", Subject(schedule), $"before: {before} | after: {schedule.SettingsText()}", ct);
        return schedule;
    }

    /// <summary>Pauses or resumes a schedule. A resumed schedule fires from now on: due times it missed while paused never fire.</summary>
    public async Task PauseAsync(int id, bool paused, Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedule = await FindAsync(db, id, ct);
        if (schedule.Paused == paused) return;
        var before = schedule.SettingsText();
        var now = clock.GetUtcNow();
        (schedule.Paused, schedule.ChangedBy, schedule.ChangedBySubject, schedule.ChangedAt) = (paused, actor.Name, actor.Subject, now);
        if (!paused) schedule.ActiveSince = now;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, paused ? "schedule.paused" : "schedule.resumed", Subject(schedule),
            $"before: {before} | after: {schedule.SettingsText()}", ct);
    }

    /// <summary>Deletes a schedule; its firings stay (with its name), as do the runs they started.</summary>
    public async Task DeleteAsync(int id, Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedule = await FindAsync(db, id, ct);
        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, "schedule.deleted", Subject(schedule), $"before: {schedule.SettingsText()}", ct);
    }

    /// <summary>Every schedule with its next <paramref name="upcoming"/> due times and latest <paramref name="recent"/> firings.</summary>
    public async Task<IReadOnlyList<ScheduleOverview>> OverviewAsync(int upcoming = 3, int recent = 5, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedules = await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var list = new List<ScheduleOverview>();
        foreach (var s in schedules)
        {
            var firings = await db.ScheduleFirings.AsNoTracking().Include(f => f.Batch).Include(f => f.Run)
                .Where(f => f.ScheduleId == s.Id).OrderByDescending(f => f.Id).Take(recent).ToListAsync(ct);
            list.Add(new ScheduleOverview(s, s.Paused ? [] : calendar.Upcoming(s, now, upcoming), firings));
        }
        return list;
    }

    private async Task EnsureValidAsync(ScheduleDraft d, CancellationToken ct)
    {
        var problems = new List<string>();
        if (!Name().IsMatch(d.Name ?? ""))
            problems.Add($"'{d.Name}' is not a schedule name: use lower-case letters, digits and dashes (e.g. c-pg-1-month-end), at most 60.");
        if (!ScheduleCalendar.TryParseCron(d.Cron, out _, out var cronError)) problems.Add(cronError);
        if (!ScheduleCalendar.TryFindZone(d.TimeZone, out _))
            problems.Add($"'{d.TimeZone}' is not a time zone this server knows (e.g. Europe/Berlin, America/New_York, UTC).");
        if (d.BusinessDay is < 1 or > 23) problems.Add("The business day of the month must be between 1 and 23.");
        var exists = d.Target == ScheduleTarget.Control
            ? await controls.ActiveAsync(d.TargetId?.Trim() ?? "", ct) is not null
            : await catalog.ActiveAsync(d.TargetId?.Trim() ?? "", ct) is not null;
        if (!exists) problems.Add($"There is no {(d.Target == ScheduleTarget.Control ? "control" : "approved IPE")} called '{d.TargetId}'.");
        if (problems.Count > 0) throw new ScheduleException(string.Join(" ", problems));
    }

    private static void Apply(Schedule s, ScheduleDraft d)
    {
        s.Name = d.Name.Trim();
        s.Target = d.Target;
        s.TargetId = d.TargetId.Trim();
        s.Cron = d.Cron.Trim();
        s.BusinessDay = d.BusinessDay;
        s.TimeZone = d.TimeZone.Trim();
        s.Period = d.Period;
    }

    private static async Task SaveUniqueAsync(SoxAutoDb db, string name, CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new ScheduleException($"There is already a schedule called '{name}'."); }
    }

    private static async Task<Schedule> FindAsync(SoxAutoDb db, int id, CancellationToken ct) =>
        await db.Schedules.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new ScheduleException($"Schedule {id} does not exist.");

    private static void EnsureAdmin(Actor actor)
    {
        if (!actor.IsAdmin) throw new UnauthorizedAccessException("Only an admin may change schedules.");
    }

    private static string Subject(Schedule s) => $"schedule/{s.Name}";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex Name();
}
