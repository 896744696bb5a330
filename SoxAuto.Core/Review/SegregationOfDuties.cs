using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Review;

/// <summary>
/// Segregation of duties, in one place. Roles (policies in the web app) say what kind of work a person
/// may do at all; these rules say whether they may do it to <em>this</em> run or change, given who did
/// the earlier step. Every feature that cancels, signs off or approves calls this service (through
/// <see cref="EnsureAsync"/>), so no page or endpoint can skip the rule.
/// People are compared by the subject recorded on the run or version (<see cref="Actor.Subject"/>); names are only shown.
/// </summary>
public sealed partial class SegregationOfDuties(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit)
{
    // The rules of SegregationOfDuties.Rules.cs, loading what they judge.

    public async Task<Decision> CancelAsync(int runId, Actor actor, CancellationToken ct = default) =>
        await LoadRunAsync(runId, ct) is { } run ? MayCancel(run, actor) : NoRun(runId);

    public async Task<Decision> SignOffAsync(int runId, Actor actor, CancellationToken ct = default) =>
        await LoadRunAsync(runId, ct) is { } run ? MaySignOff(run, actor) : NoRun(runId);

    public async Task<Decision> ApproveChangeAsync(int ipeVersionId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var change = await db.IpeVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == ipeVersionId, ct);
        return change is null ? Decision.Refuse($"There is no IPE version {ipeVersionId}.") : MayApproveChange(change, actor);
    }

    /// <summary>Throws <see cref="SegregationOfDutiesException"/> with the reason when the decision is a
    /// refusal, after writing the refusal to the audit trail (who, what, why, from where).</summary>
    public async Task EnsureAsync(Decision decision, Actor actor, string action, string subject, CancellationToken ct = default)
    {
        if (decision.Allowed) return;
        await audit.RecordAsync(actor, $"{action}.denied", subject, decision.Why, ct);
        throw new SegregationOfDutiesException(decision.Why);
    }

    private async Task<Run?> LoadRunAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
    }

    private static Decision NoRun(int runId) => Decision.Refuse($"Run {runId} does not exist.");
}
