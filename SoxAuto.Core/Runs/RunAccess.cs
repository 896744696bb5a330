using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Runs;

/// <summary>
/// The one door to a run: every surface that shows a run or hands out its files (the run page and its
/// preview, the downloads, the package, the review pages, the headless verbs) opens it here. Reviewers and
/// admins see every run (<see cref="Actor.SeesEveryRun"/>); anyone else only the runs they ran, by subject
/// (another person of the same name sees none of them; a legacy run is nobody's own). Another
/// person's run answers exactly as a missing one (null), so ids cannot be probed, and the attempt is kept
/// in the audit trail.
/// </summary>
public sealed class RunAccess(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit)
{
    public static bool MaySee(Run run, Actor who) =>
        who.SeesEveryRun || Access.PersonSubject.Same(run.RequestedBySubject, who.Subject);

    /// <summary>The run with its checks (in order) and IPE version, or null when it does not exist or
    /// <paramref name="who"/> may not see it. <paramref name="through"/> is the address asked for (e.g.
    /// "/runs/12", "/runs/12/package.zip"), the subject of the audit entry, as for any refused page.</summary>
    public async Task<Run?> OpenAsync(int runId, Actor who, string through, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().Include(r => r.Checks.OrderBy(c => c.Order)).Include(r => r.IpeVersion)
            .FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || MaySee(run, who)) return run;
        await audit.RecordAsync(who, "access.denied", through,
            $"run {runId} was run by someone else, and {who.Name} sees only their own runs", ct);
        return null;
    }
}

public static class RunVisibility
{
    /// <summary>The runs of <paramref name="runs"/> that <paramref name="who"/> may see, as a database query
    /// (the same rule as <see cref="RunAccess.MaySee"/>), for lists.</summary>
    public static IQueryable<Run> VisibleTo(this IQueryable<Run> runs, Actor who) =>
        who.SeesEveryRun ? runs
        : who.Subject.Length == 0 || Access.PersonSubject.IsLegacy(who.Subject) ? runs.Where(_ => false)
        : runs.Where(r => r.RequestedBySubject == who.Subject);
}
