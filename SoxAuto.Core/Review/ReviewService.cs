using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Review;

/// <summary>Why a sign-off or re-run cannot be done as asked.</summary>
public enum ReviewRefusal { Invalid, AlreadyDecided, NoSuchRun }

/// <summary>A sign-off or re-run that cannot be done as asked (a missing comment, a decision already
/// taken, an altered file); the message is for the user.</summary>
public sealed class ReviewException(string message, ReviewRefusal reason = ReviewRefusal.Invalid) : Exception(message)
{
    public ReviewRefusal Reason { get; } = reason;
}

/// <summary>A run as the review queue lists it.</summary>
public sealed record ReviewItem(Run Run, bool NeedsJustification);

/// <summary>
/// Review of a run's evidence: the queue of succeeded runs awaiting a decision, the sign-off (approve or
/// reject, with a comment; a justification to approve despite checks that did not pass), and the re-run
/// of a rejected run. Segregation of duties is enforced here (<see cref="SegregationOfDuties.MaySignOff"/>),
/// whatever surface asks: the review page, the sign-off endpoint, a test.
/// </summary>
public sealed class ReviewService(
    IDbContextFactory<SoxAutoDb> dbs, RunAccess access, SegregationOfDuties duties, RunService runs,
    IpeCatalog catalog, AuditTrail audit, IEvidenceStore store, TimeProvider clock)
{
    public const int MaxTextLength = 4000;

    /// <summary>A check that neither passed nor could not run (failed, errored, or any status to come)
    /// must be explained before the run is approved. A check that did not run is shown as such and is
    /// the reviewer's to weigh, as the evidence says.</summary>
    public static bool NeedsJustification(Run run) =>
        run.Checks.Any(c => c.Status is not (CheckStatus.Passed or CheckStatus.NotRun));

    public static ReviewState StateOf(Run run, SignOffDecision? decision) => decision switch
    {
        SignOffDecision.Approved => ReviewState.Approved,
        SignOffDecision.Rejected => ReviewState.Rejected,
        _ => run.State == RunState.Succeeded ? ReviewState.AwaitingReview : ReviewState.NotForReview,
    };

    /// <summary>Succeeded runs with no sign-off yet, oldest first (the order they should be reviewed in).</summary>
    public async Task<IReadOnlyList<ReviewItem>> QueueAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var waiting = await db.Runs.AsNoTracking().Include(r => r.Checks)
            .Where(r => r.State == RunState.Succeeded && !db.SignOffs.Any(s => s.RunId == r.Id))
            .OrderBy(r => r.Id).ToListAsync(ct);
        return waiting.Select(r => new ReviewItem(r, NeedsJustification(r))).ToList();
    }

    /// <summary>The decisions on these runs, by run id (runs without one are absent).</summary>
    public async Task<IReadOnlyDictionary<int, SignOffDecision>> DecisionsAsync(IEnumerable<int> runIds, CancellationToken ct = default)
    {
        var ids = runIds.ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.SignOffs.AsNoTracking().Where(s => ids.Contains(s.RunId)).ToDictionaryAsync(s => s.RunId, s => s.Decision, ct);
    }

    public async Task<SignOff?> SignOffOfAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.SignOffs.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == runId, ct);
    }

    /// <summary>The runs linked to this one: the one it re-ran, and the one that re-ran it.</summary>
    public async Task<(int? Supersedes, int? SupersededBy)> LinksAsync(Run run, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var by = await db.Runs.Where(r => r.SupersedesRunId == run.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        return (run.SupersedesRunId, by);
    }

    /// <summary>Records <paramref name="actor"/>'s decision on a run. Refused (and the refusal recorded)
    /// when the actor ran it, when it did not succeed, when it already has a decision; refused when a
    /// rejection has no comment, when an approval of a run with failed or errored checks has no
    /// justification, or when a stored file no longer matches its SHA-256.</summary>
    /// <exception cref="SegregationOfDutiesException">The actor may not sign this run off.</exception>
    /// <exception cref="ReviewException">The decision cannot be recorded as asked.</exception>
    public async Task<SignOff> SignOffAsync(int runId, SignOffDecision decision, string? comment, string? justification,
        Actor actor, CancellationToken ct = default)
    {
        var run = await access.OpenAsync(runId, actor, $"/review/{runId}", ct)
            ?? throw new ReviewException($"There is no run {runId}.", ReviewRefusal.NoSuchRun);
        await duties.EnsureAsync(SegregationOfDuties.MaySignOff(run, actor), actor, "signoff", $"run/{runId}", ct);
        comment = Clean(comment);
        justification = Clean(justification);
        if (decision == SignOffDecision.Rejected && comment is null)
            throw new ReviewException("Say why the run is rejected: a rejection needs a comment.");
        if (decision == SignOffDecision.Approved && NeedsJustification(run) && justification is null)
            throw new ReviewException(
                $"Run {runId} has checks that did not pass ({FailedChecks(run)}). Approving it needs a written justification.");
        if (await SignOffOfAsync(runId, ct) is { } earlier)
            throw new ReviewException(AlreadyDecided(earlier), ReviewRefusal.AlreadyDecided);

        // What is signed off is what is stored now: every file is read again and must still match its record.
        var files = RunFiles.Of(run);
        if (await RunFiles.FirstAlteredAsync(files, store, ct) is { } altered)
        {
            await audit.RecordAsync(actor, "evidence.altered", $"run/{runId}", altered, ct);
            throw new ReviewException(altered + " The run cannot be signed off; tell a SoxAuto administrator.");
        }

        var signOff = new SignOff
        {
            RunId = runId,
            Decision = decision,
            By = actor.Name,
            BySubject = actor.Subject,
            At = clock.GetUtcNow(),
            Comment = comment ?? "",
            Justification = decision == SignOffDecision.Approved ? justification : null,
            Files = files.Select(f => new SignedFile(f.Name, f.Kind, f.Sha256, f.Bytes)).ToList(),
        };
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.SignOffs.Add(signOff);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another reviewer decided first (one sign-off per run, kept by a unique index).
                throw new ReviewException(AlreadyDecided(await SignOffOfAsync(runId, ct)
                    ?? throw new ReviewException($"The sign-off of run {runId} could not be saved.")), ReviewRefusal.AlreadyDecided);
            }
        }
        await audit.RecordAsync(actor, $"signoff.{decision.ToString().ToLowerInvariant()}", $"run/{runId}",
            $"comment: {signOff.Comment}" + (signOff.Justification is { } j ? $"; justification: {j}" : "")
            + "; files: " + string.Join(", ", signOff.Files.Select(f => $"{f.Name} sha256 {f.Sha256}")), ct);
        return signOff;
    }

    /// <summary>Runs a rejected run's IPE again for the same period and parameters, on the IPE's active
    /// version; the new run records the one it supersedes. A run is re-run once.</summary>
    public async Task<Run> RerunAsync(int runId, Actor actor, CancellationToken ct = default)
    {
        var run = await access.OpenAsync(runId, actor, $"/runs/{runId}", ct)
            ?? throw new ReviewException($"There is no run {runId}.", ReviewRefusal.NoSuchRun);
        if (await SignOffOfAsync(runId, ct) is not { Decision: SignOffDecision.Rejected })
            throw new ReviewException($"Only a rejected run is re-run; run {runId} is not rejected.");
        if ((await LinksAsync(run, ct)).SupersededBy is { } newer)
            throw new ReviewException($"Run {runId} has already been re-run as run {newer}.", ReviewRefusal.AlreadyDecided);
        var active = await catalog.ActiveAsync(run.IpeId, ct)
            ?? throw new ReviewException($"{run.IpeId} is no longer in the catalog, so it cannot be run again.");
        // The values typed for the rejected run, for the parameters the active version still declares.
        var parameters = run.Parameters
            .Where(p => !ParameterBinder.PeriodNames.Contains(p.Name) && active.Definition.Parameters.Any(d => d.Name == p.Name))
            .ToDictionary(p => p.Name, p => string.Join(",", p.Values));
        try
        {
            return await runs.RequestAsync(run.IpeId, run.PeriodText, parameters, actor, ct, supersedes: runId);
        }
        catch (RunRequestException e)
        {
            throw new ReviewException(e.Message);
        }
    }

    private static string FailedChecks(Run run) => string.Join("; ", run.Checks
        .Where(c => c.Status is not (CheckStatus.Passed or CheckStatus.NotRun)).Select(c => $"{c.Name}: {c.Status}"));

    private static string AlreadyDecided(SignOff s) => string.Create(CultureInfo.InvariantCulture,
        $"Run {s.RunId} was already {s.Decision.ToString().ToLowerInvariant()} by {s.By} at {UtcTime.Text(s.At)}; a run is signed off once.");

    private static string? Clean(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= MaxTextLength ? text
            : throw new ReviewException($"A comment or justification may be at most {MaxTextLength:N0} characters.");
    }
}
