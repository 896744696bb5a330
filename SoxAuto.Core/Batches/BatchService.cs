using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Batches;

/// <summary>A batch as the batch page and the headless verb read it: the batch and its runs in order.</summary>
public sealed record BatchView(Batch Batch, IReadOnlyList<Run> Runs)
{
    public Run? Reconciliation => Runs.FirstOrDefault(r => r.Kind == RunKind.Reconciliation);
    public int Finished => Runs.Count(r => r.IsFinal);
}

/// <summary>A batch that was planned and not yet written: the batch with its runs, and their audit entries.</summary>
internal sealed record BatchPlan(Batch Batch, IReadOnlyList<RunRequest> Requests);

/// <summary>
/// What happens when someone asks to run a whole control for a period: every active IPE of the control,
/// then (when any of them maps to the G/L) the control's reconciliation, which reads exactly these runs.
/// The runs are ordinary runs, executed by the worker (or by the headless verb) like any other.
/// </summary>
public sealed class BatchService(
    IDbContextFactory<SoxAutoDb> dbs, IpeCatalog catalog, ControlChanges controls, RunService runs,
    ReconciliationService reconciliations, AuditTrail audit)
{
    /// <summary>Validates the request and writes the batch with all of its runs (Queued) in one transaction,
    /// then hands the runs to the worker (or, with <paramref name="executeHere"/>, keeps them for this process).</summary>
    public async Task<Batch> RequestAsync(string controlId, string periodText, Actor actor, CancellationToken ct = default, bool executeHere = false)
    {
        var plan = await PlanAsync(controlId, periodText, actor, ct);
        await WriteAsync(plan, actor, executeHere, null, ct);
        return plan.Batch;
    }

    internal async Task<BatchPlan> PlanAsync(string controlId, string periodText, Actor actor, CancellationToken ct)
    {
        var control = await controls.ActiveAsync(controlId.Trim(), ct)
            ?? throw new RunRequestException($"There is no control called '{controlId}' in the catalog.");
        if (!Period.TryParse(periodText, runs.Today, out var period, out var error))
            throw new RunRequestException(error);
        var ipes = (await catalog.ActiveAsync(ct)).Where(v => v.Definition.Control == control.ControlId).OrderBy(v => v.IpeId, StringComparer.Ordinal).ToList();
        if (ipes.Count == 0)
            throw new RunRequestException($"Control {control.ControlId} has no approved IPE, so there is nothing to run.");

        var requests = new List<RunRequest>();
        foreach (var ipe in ipes)
            requests.Add(await runs.PrepareAsync(ipe.IpeId, period.Text, null, actor, ct));
        // Last, so that the worker takes it after the IPE runs it reads (it waits for them anyway).
        if (ipes.Any(v => v.Definition.Reconciliation is not null))
            requests.Add(await reconciliations.PrepareAsync(control.ControlId, period.Text, actor, ct));
        var batch = new Batch
        {
            ControlId = control.ControlId,
            Period = period,
            RequestedBy = actor.Name,
            RequestedBySubject = actor.Subject,
            Runs = requests.Select(r => r.Run).ToList(),
        };
        return new BatchPlan(batch, requests);
    }

    /// <summary>Writes the batch, its runs and whatever <paramref name="alongside"/> adds, in one transaction.</summary>
    internal async Task WriteAsync(BatchPlan plan, Actor actor, bool executeHere, Action<SoxAutoDb>? alongside, CancellationToken ct)
    {
        var batch = plan.Batch;
        await runs.AddAsync(plan.Requests, actor, executeHere, db =>
        {
            batch.RequestedAt = plan.Requests[0].Run.RequestedAt;
            db.Batches.Add(batch);
            alongside?.Invoke(db);
        }, ct);
        await audit.RecordAsync(actor, "batch.requested", $"batch/{batch.Id}",
            $"{batch.ControlId} for {batch.Period.Describe()}: runs {string.Join(", ", batch.Runs.Select(r => $"{r.IpeId} run {r.Id}"))}", ct);
    }

    /// <summary>The batch with its runs, or null when it does not exist or <paramref name="who"/> may not see it
    /// (the rule of <see cref="RunAccess"/>: reviewers and admins see every batch, anyone else only their own).</summary>
    public async Task<BatchView?> OpenAsync(int batchId, Actor who, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var batch = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null) return null;
        if (!who.SeesEveryRun && batch.RequestedBy != who.Name)
        {
            await audit.RecordAsync(who, "access.denied", $"/batches/{batchId}",
                $"batch {batchId} was requested by someone else, and {who.Name} sees only their own", ct);
            return null;
        }
        var list = await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync(ct);
        return new BatchView(batch, list);
    }
}
