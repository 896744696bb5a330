using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Review;

/// <summary>The answer to "may this person do this?", with the reason in words a user (and an
/// auditor reading the trail) understands.</summary>
public sealed record Decision(bool Allowed, string Why)
{
    public static Decision Allow(string why) => new(true, why);
    public static Decision Refuse(string why) => new(false, why);
}

/// <summary>A refusal by <see cref="SegregationOfDuties"/>; the message says why.</summary>
public sealed class SegregationOfDutiesException(string message) : UnauthorizedAccessException(message);

/// <summary>
/// Segregation of duties, in one place. Roles (policies in the web app) say what kind of work a person
/// may do at all; these rules say whether they may do it to <em>this</em> run or change, given who did
/// the earlier step. Every feature that cancels, signs off or approves calls this service (through
/// <see cref="EnsureAsync"/>), so no page or endpoint can skip the rule.
/// People are compared by the name recorded on the run or version (<see cref="Actor.Name"/>).
/// </summary>
public sealed class SegregationOfDuties(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit)
{
    // ---- the rules, pure -------------------------------------------------------------------

    /// <summary>Only the person who ran it, or an admin, may cancel a run.</summary>
    public static Decision MayCancel(Run run, Actor actor) =>
        SamePerson(run.RequestedBy, actor.Name) ? Decision.Allow($"{actor.Name} ran run {run.Id}.")
        : actor.IsAdmin ? Decision.Allow($"{actor.Name} is an admin.")
        : Decision.Refuse($"Only the person who ran run {run.Id} ({run.RequestedBy}) or an admin may cancel it.");

    /// <summary>The person who ran a run cannot sign it off, whatever their roles; and only a finished,
    /// successful run has evidence to sign off.</summary>
    public static Decision MaySignOff(Run run, Actor actor) =>
        SamePerson(run.RequestedBy, actor.Name)
            ? Decision.Refuse($"{actor.Name} ran run {run.Id}, so someone else must sign it off (segregation of duties).")
        : run.State != RunState.Succeeded
            ? Decision.Refuse($"Run {run.Id} is {run.State}: only a succeeded run has evidence to sign off.")
        : Decision.Allow($"{actor.Name} did not run run {run.Id} ({run.RequestedBy} did).");

    /// <summary>The person who wrote a change to an IPE's SQL cannot approve it: a second person must.</summary>
    public static Decision MayApproveChange(IpeVersion change, Actor actor) =>
        SamePerson(change.AuthoredBy, actor.Name)
            ? Decision.Refuse($"{actor.Name} wrote version {change.Number} of {change.IpeId}, so another admin must approve it (segregation of duties).")
        : change.Status != IpeVersionStatus.Draft
            ? Decision.Refuse($"Version {change.Number} of {change.IpeId} is {change.Status}, not awaiting approval.")
        : Decision.Allow($"{actor.Name} did not write version {change.Number} of {change.IpeId} ({change.AuthoredBy} did).");

    private static bool SamePerson(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    // ---- the same rules, loading what they judge -------------------------------------------

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
        await audit.RecordAsync(actor.Name, $"{action}.denied", subject, decision.Why, actor.Origin, ct);
        throw new SegregationOfDutiesException(decision.Why);
    }

    private async Task<Run?> LoadRunAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
    }

    private static Decision NoRun(int runId) => Decision.Refuse($"Run {runId} does not exist.");
}
