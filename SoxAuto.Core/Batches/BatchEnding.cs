using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Batches;

/// <summary>
/// Ends a batch once its last run has ended: called by whoever ends a run of a batch, and swept at start-up
/// and while the app runs (<see cref="RunRecovery"/>), so that a batch whose last run ended in a process that
/// died at that moment ends too. A conditional update decides, in the database, which process ends it: the
/// outcome is recorded (audit trail: batch.ended) exactly once.
/// </summary>
public sealed class BatchEnding(
    IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, NotificationOutbox notifications, RunProgress progress, TimeProvider clock, ILogger<BatchEnding> log)
{
    public async Task EndIfDoneAsync(int batchId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var runs = await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync(ct);
        if (runs.Count == 0 || runs.Any(r => !r.IsFinal)) return;
        var recon = runs.FirstOrDefault(r => r.Kind == RunKind.Reconciliation);
        var outside = recon is null ? 0 : await db.ReconciliationLines.CountAsync(l => l.RunId == recon.Id && l.Outside, ct);
        var (outcome, message) = Outcome(runs, outside);
        var now = clock.GetUtcNow();
        // The end and the message telling people about it are written in one transaction: never one without the other.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Batches.Where(b => b.Id == batchId && b.EndedAt == null).ExecuteUpdateAsync(u => u
                    .SetProperty(b => b.EndedAt, now).SetProperty(b => b.Outcome, outcome).SetProperty(b => b.Message, message), ct) == 0)
                return; // another process (or an earlier call) has ended it
            var batch = await db.Batches.AsNoTracking().FirstAsync(b => b.Id == batchId, ct);
            notifications.Add(db, Notice(batch, runs));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        notifications.Wake();
        log.LogInformation("Batch {BatchId} ended {Outcome}: {Message}", batchId, outcome, message);
        await audit.RecordAsync("system", "batch.ended", $"batch/{batchId}", $"{outcome}: {message}", "system", ct);
        // Pages showing the batch look again (the run id of its last run tells them which).
        progress.Publish(new RunUpdate(runs[^1].Id, runs[^1].State, runs[^1].Message, 0));
    }

    /// <summary>Ends every batch whose runs have all ended but that nobody ended.</summary>
    public async Task EndFinishedAsync(CancellationToken ct)
    {
        List<int> open;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            open = await db.Batches.Where(b => b.EndedAt == null)
                .Where(b => !db.Runs.Any(r => r.BatchId == b.Id && (r.State == RunState.Queued || r.State == RunState.Running || r.State == RunState.WritingEvidence)))
                .Select(b => b.Id).ToListAsync(ct);
        foreach (var id in open) await EndIfDoneAsync(id, ct);
    }

    /// <summary>Ends a batch after one of its runs ended here; a failure is logged, never the run's problem (the sweep retries).</summary>
    internal async Task AfterRunEndedAsync(Run run)
    {
        if (run.BatchId is not { } batchId) return;
        try { await EndIfDoneAsync(batchId); }
        catch (Exception e) { log.LogWarning(e, "Ending batch {BatchId} after run {RunId} failed; the next sweep ends it", batchId, run.Id); }
    }

    /// <summary>What people are told when a batch ends (event batch.ended): its outcome, and each run that did not succeed.</summary>
    private static NotificationMessage Notice(Batch batch, IReadOnlyList<Run> runs) => new(
        NotificationKind.BatchEnded, $"batch/{batch.Id}", $"SoxAuto: batch {batch.Id} ({batch.ControlId} for {batch.PeriodText}) ended {batch.Outcome}",
        $"Batch {batch.Id}, every IPE of {batch.ControlId} for {batch.Period.Describe()} then its reconciliation, ended {batch.Outcome}.\n\n{batch.Message}\n\n"
            + $"Requested by {batch.RequestedBy} at {UtcTime.Text(batch.RequestedAt)}, ended {UtcTime.Text(batch.EndedAt)}.",
        $"/batches/{batch.Id}", "Open the batch", new
        {
            batch = new
            {
                id = batch.Id,
                control = batch.ControlId,
                period = batch.PeriodText,
                outcome = batch.Outcome?.ToString(),
                message = batch.Message,
                requestedBy = batch.RequestedBy,
                requestedAt = batch.RequestedAt,
                endedAt = batch.EndedAt,
                runs = runs.Select(r => new { id = r.Id, kind = r.Kind.ToString(), ipe = r.IpeId, status = r.State.ToString(), message = r.Message }),
            },
        });

    public static (BatchOutcome, string) Outcome(IReadOnlyList<Run> runs, int outside)
    {
        var failed = runs.Where(r => r.State != RunState.Succeeded).ToList();
        if (failed.Count > 0)
            return (BatchOutcome.Failed, $"{failed.Count} of {runs.Count} runs did not succeed: "
                + string.Join("; ", failed.Select(r => $"{r.IpeId} run {r.Id} {r.State}")) + ".");
        if (outside > 0)
            return (BatchOutcome.OutsideThresholds, $"All {runs.Count} runs succeeded; the reconciliation has {outside} line(s) outside their thresholds.");
        return (BatchOutcome.Succeeded, runs.Any(r => r.Kind == RunKind.Reconciliation)
            ? $"All {runs.Count} runs succeeded, and the control reconciles."
            : $"All {runs.Count} runs succeeded.");
    }
}
