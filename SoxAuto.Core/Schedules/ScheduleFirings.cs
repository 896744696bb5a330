using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Schedules;

/// <summary>
/// Fires the schedules that are due. For each active schedule the latest due time after its last firing
/// (and after it was created, changed or resumed) is claimed by inserting a <see cref="ScheduleFiring"/> in the
/// same transaction as the batch or run it starts: the database's unique index lets exactly one process
/// (or one start of the app) have it. So a due time missed while the app was down fires once when it comes
/// back, and only the latest one: three missed month ends start one batch, for the latest, not three.
/// </summary>
public sealed class ScheduleFirings(
    IDbContextFactory<SoxAutoDb> dbs, ScheduleCalendar calendar, BatchService batches, RunService runs, AuditTrail audit,
    TimeProvider clock, ILogger<ScheduleFirings> log)
{
    /// <summary>A due time before this process started was missed while the app was down (or before it ran).</summary>
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    /// <summary>Fires every schedule that is due now; returns how many firings this process claimed.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        List<Schedule> active;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            active = await db.Schedules.AsNoTracking().Where(s => !s.Paused).OrderBy(s => s.Id).ToListAsync(ct);
        var fired = 0;
        foreach (var s in active)
        {
            try
            {
                if (await FireIfDueAsync(s, ct)) fired++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Schedule {Schedule} could not be fired; trying again at the next check", s.Name);
            }
        }
        return fired;
    }

    private async Task<bool> FireIfDueAsync(Schedule s, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? last;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            last = (await db.ScheduleFirings.Where(f => f.ScheduleId == s.Id).Select(f => f.DueAt).ToListAsync(ct)).Cast<DateTimeOffset?>().Max();
        var since = last is { } l && l > s.ActiveSince ? l : s.ActiveSince;
        if (calendar.LatestDue(s, since, now) is not { } due) return false;

        var period = ScheduleCalendar.PeriodFor(s, due);
        var actor = Actor.Service(s.Requester, "schedule");
        var firing = new ScheduleFiring { ScheduleId = s.Id, ScheduleName = s.Name, DueAt = due, FiredAt = now, CaughtUp = due < _started, PeriodText = period };
        var when = $"due {UtcTime.Text(due)}{(firing.CaughtUp ? ", missed while the app was down and caught up" : "")}";
        try
        {
            string started;
            if (s.Target == ScheduleTarget.Control)
            {
                var plan = await batches.PlanAsync(s.TargetId, period, actor, ct);
                firing.Batch = plan.Batch;
                await batches.WriteAsync(plan, actor, executeHere: false, db => db.ScheduleFirings.Add(firing), ct);
                started = $"batch {plan.Batch.Id} ({s.TargetId} for {period})";
            }
            else
            {
                var request = await runs.PrepareAsync(s.TargetId, period, null, actor, ct);
                firing.Run = request.Run;
                await runs.AddAsync([request], actor, executeHere: false, db => db.ScheduleFirings.Add(firing), ct);
                started = $"run {request.Run.Id} ({s.TargetId} for {period})";
            }
            log.LogInformation("Schedule {Schedule} fired ({When}): {Started}", s.Name, when, started);
            await audit.RecordAsync(actor, "schedule.fired", $"schedule/{s.Name}", $"{when}: started {started}", ct);
            return true;
        }
        catch (RunRequestException e)
        {
            // Nothing could start (the IPE is no longer approved, say): the firing is kept with the reason, once.
            (firing.Batch, firing.Run, firing.Problem) = (null, null, e.Message);
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ScheduleFirings.Add(firing);
            if (!await ClaimedAsync(db, s, due, ct)) return false;
            log.LogWarning("Schedule {Schedule} ({When}) could not start anything: {Problem}", s.Name, when, e.Message);
            await audit.RecordAsync(actor, "schedule.failed", $"schedule/{s.Name}", $"{when}: {e.Message}", ct);
            return true;
        }
        catch (DbUpdateException)
        {
            if (!await FiredAlreadyAsync(s.Id, due, ct)) throw;
            log.LogInformation("Schedule {Schedule} ({When}) was fired by another process", s.Name, when);
            return false;
        }
    }

    /// <summary>Saves <paramref name="db"/>'s firing; false when another process claimed the due time first.</summary>
    private async Task<bool> ClaimedAsync(SoxAutoDb db, Schedule s, DateTimeOffset due, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            if (!await FiredAlreadyAsync(s.Id, due, ct)) throw;
            return false;
        }
    }

    private async Task<bool> FiredAlreadyAsync(int scheduleId, DateTimeOffset due, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ScheduleFirings.AnyAsync(f => f.ScheduleId == scheduleId && f.DueAt == due, ct);
    }
}
