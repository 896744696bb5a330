using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Catalog;

/// <summary>A change that cannot be saved; <see cref="Problems"/> says every reason, with SQL positions.</summary>
public sealed class IpeChangeException(IReadOnlyList<SqlProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<SqlProblem> Problems { get; } = problems;
}

/// <summary>An IPE's place in the catalog as admins see it: the active version (null for a new or
/// retired IPE), the newest version, and how many drafts await a second admin.</summary>
public sealed record IpeOverview(string IpeId, IpeVersion? Active, IpeVersion Latest, int PendingDrafts, bool Retired);

/// <summary>
/// Changing the IPE catalog: every save is a new immutable draft version; a second admin approves or
/// rejects it (segregation of duties decides, here in the service, so no page can skip it); approval
/// makes it the active version that auditors run. Restores, new IPEs and retirements are drafts too.
/// Only admins may do any of it. Every step is written to the audit trail.
/// </summary>
public sealed class IpeChanges(
    IDbContextFactory<SoxAutoDb> dbs, QueryPlanner planner, SegregationOfDuties duties, AuditTrail audit, TimeProvider clock)
{
    public const int TrialRows = 100;

    // ---- reading ---------------------------------------------------------------------------

    public async Task<IReadOnlyList<IpeOverview>> OverviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var all = await db.IpeVersions.AsNoTracking().ToListAsync(ct);
        return all.GroupBy(v => v.IpeId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var latest = g.MaxBy(v => v.Number)!;
            var active = g.FirstOrDefault(v => v.Status == IpeVersionStatus.Active);
            return new IpeOverview(g.Key, active, latest, g.Count(v => v.Status == IpeVersionStatus.Draft),
                active is null && g.Any(v => v.Status == IpeVersionStatus.Retired));
        }).ToList();
    }

    /// <summary>Every version of one IPE, newest first.</summary>
    public async Task<IReadOnlyList<IpeVersion>> HistoryAsync(string ipeId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.IpeVersions.AsNoTracking().Where(v => v.IpeId == ipeId).OrderByDescending(v => v.Number).ToListAsync(ct);
    }

    public async Task<IpeVersion?> VersionAsync(string ipeId, int number, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.IpeVersions.AsNoTracking().FirstOrDefaultAsync(v => v.IpeId == ipeId && v.Number == number, ct);
    }

    /// <summary>Drafts awaiting approval, oldest first.</summary>
    public async Task<IReadOnlyList<IpeVersion>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var drafts = await db.IpeVersions.AsNoTracking().Where(v => v.Status == IpeVersionStatus.Draft).ToListAsync(ct);
        return drafts.OrderBy(v => v.AuthoredAt).ToList();
    }

    /// <summary>The diff a reviewer reads: a draft against the active version (or, once decided, against
    /// the version it was based on); any two versions when both numbers are given.</summary>
    public async Task<IpeDiff> DiffAsync(string ipeId, int? leftNumber, int rightNumber, CancellationToken ct = default)
    {
        var history = await HistoryAsync(ipeId, ct);
        var right = history.FirstOrDefault(v => v.Number == rightNumber)
            ?? throw new IpeChangeException([new($"{ipeId} has no version {rightNumber}.")]);
        var left = leftNumber is { } n
            ? history.FirstOrDefault(v => v.Number == n) ?? throw new IpeChangeException([new($"{ipeId} has no version {n}.")])
            : right.Status == IpeVersionStatus.Draft
                ? history.FirstOrDefault(v => v.Status == IpeVersionStatus.Active)
                : history.FirstOrDefault(v => v.Number == right.BasedOnNumber);
        return IpeDiff.Of(left, right);
    }

    // ---- checking and trying ---------------------------------------------------------------

    /// <summary>Validation on save: the rules of <see cref="IpeValidation"/>, then the engine compiles the
    /// query rendered for the last full month (so syntax and missing tables show before anyone approves),
    /// and the columns the check settings name must be in its result.</summary>
    public async Task<IReadOnlyList<SqlProblem>> CheckAsync(IpeDefinition ipe, CancellationToken ct = default)
    {
        var problems = IpeValidation.Validate(ipe).ToList();
        if (problems.Count > 0) return problems;
        string sql;
        try
        {
            sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, ReferencePeriod()));
        }
        catch (ParameterException e)
        {
            return [new($"The SQL cannot be rendered for the engine to check it: {e.Message} Give each required parameter a default.")];
        }
        var explained = await planner.ExplainAsync(sql, ipe.Database, ct);
        if (!explained.Ok) return [new($"The engine does not accept the query (EXPLAIN): {explained.Error}")];
        var columns = explained.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var c = ipe.Checks;
        foreach (var (setting, names) in new[]
                 {
                     ("Required column", c.RequiredColumns), ("Key column", c.KeyColumns), ("Amount column", c.AmountColumns),
                     ("Date column", c.DateColumn is null ? [] : (IReadOnlyList<string>)[c.DateColumn]),
                 })
            foreach (var name in names.Where(n => !columns.Contains(n)))
                problems.Add(new($"{setting} '{name}' is not a column of the query's result ({string.Join(", ", explained.Columns.Select(x => x.Name))})."));
        foreach (var w in c.WitnessRecords)
            foreach (var key in w.Key.Keys.Where(k => !columns.Contains(k)))
                problems.Add(new($"Witness record '{w.Description}' names '{key}', which is not a column of the query's result."));
        return problems;
    }

    /// <summary>Runs a draft (saved or not) for a period and returns its first rows and column types.
    /// A trial: no run, no evidence, nothing stored but the audit line.</summary>
    public async Task<(ResultSample Result, string Sql)> TrialAsync(
        IpeDefinition ipe, string periodText, IReadOnlyDictionary<string, string>? parameters, Actor actor, CancellationToken ct = default)
    {
        await EnsureAdminAsync(actor, "ipe.trial", $"ipe/{ipe.Id}", ct);
        var problems = IpeValidation.Validate(ipe);
        if (problems.Count > 0) throw new IpeChangeException(problems);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!Period.TryParse(periodText, today, out var period, out var error))
            throw new IpeChangeException([new(error)]);
        string sql;
        try { sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, period, parameters)); }
        catch (ParameterException e) { throw new IpeChangeException([new(e.Message)]); }
        await audit.RecordAsync(actor.Name, "ipe.trial", $"ipe/{ipe.Id}",
            $"Trial of an unapproved definition for {period.Text} (first {TrialRows} rows, not evidence) on {ipe.Database}.", actor.Origin, ct);
        try
        {
            return (await planner.TrialAsync(sql, ipe.Database, TrialRows, ct), sql);
        }
        catch (EngineException e)
        {
            throw new IpeChangeException([new($"The engine refused the trial: {e.Message}")]);
        }
    }

    // ---- changing --------------------------------------------------------------------------

    /// <summary>Saves a change as a new draft version after <see cref="CheckAsync"/> passes. Drafts of
    /// the same IPE still awaiting review are replaced by it (marked Superseded, never approvable again).</summary>
    public async Task<IpeVersion> SaveDraftAsync(IpeDefinition ipe, string? comment, Actor actor, CancellationToken ct = default) =>
        await SaveAsync(ipe, comment, actor, null, ct);

    /// <summary>An older version's definition becomes a new draft, which again needs approval.</summary>
    public async Task<IpeVersion> RestoreAsync(string ipeId, int number, string? comment, Actor actor, CancellationToken ct = default)
    {
        var old = await VersionAsync(ipeId, number, ct) ?? throw new IpeChangeException([new($"{ipeId} has no version {number}.")]);
        return await SaveAsync(old.Definition, comment ?? $"Restore of version {number}.", actor, IpeChangeKind.Restore, ct);
    }

    /// <summary>A draft that, once approved, takes the IPE out of the active catalog.</summary>
    public async Task<IpeVersion> RetireAsync(string ipeId, string? comment, Actor actor, CancellationToken ct = default)
    {
        await EnsureAdminAsync(actor, "ipe.retire", $"ipe/{ipeId}", ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.IpeVersions.FirstOrDefaultAsync(v => v.IpeId == ipeId && v.Status == IpeVersionStatus.Active, ct)
            ?? throw new IpeChangeException([new($"{ipeId} has no active version to retire.")]);
        return await AddDraftAsync(db, active.Definition, comment ?? "Retire this IPE.", actor, IpeChangeKind.Retire, ct);
    }

    internal async Task<IpeVersion> SaveAsync(IpeDefinition ipe, string? comment, Actor actor, IpeChangeKind? kind, CancellationToken ct)
    {
        await EnsureAdminAsync(actor, "ipe.draft", $"ipe/{ipe.Id}", ct);
        var problems = await CheckAsync(ipe, ct);
        if (problems.Count > 0) throw new IpeChangeException(problems);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.IpeVersions.AsNoTracking().FirstOrDefaultAsync(v => v.IpeId == ipe.Id && v.Status == IpeVersionStatus.Active, ct);
        if (active is not null && SameDefinition(active.Definition, ipe))
            throw new IpeChangeException([new($"This is exactly version {active.Number}, the active version of {ipe.Id}: there is no change to approve.")]);
        var exists = await db.IpeVersions.AnyAsync(v => v.IpeId == ipe.Id, ct);
        return await AddDraftAsync(db, ipe, comment, actor, kind ?? (exists ? IpeChangeKind.Edit : IpeChangeKind.New), ct);
    }

    private async Task<IpeVersion> AddDraftAsync(SoxAutoDb db, IpeDefinition ipe, string? comment, Actor actor, IpeChangeKind kind, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var versions = await db.IpeVersions.Where(v => v.IpeId == ipe.Id).ToListAsync(ct);
        var number = versions.Count == 0 ? 1 : versions.Max(v => v.Number) + 1;
        foreach (var pending in versions.Where(v => v.Status == IpeVersionStatus.Draft))
        {
            pending.Status = IpeVersionStatus.Superseded;
            pending.RejectedBy = actor.Name;
            pending.RejectedAt = now;
            pending.ReviewComment = $"Replaced by draft version {number} before review.";
        }
        var draft = new IpeVersion
        {
            IpeId = ipe.Id,
            Number = number,
            Definition = ipe,
            Status = IpeVersionStatus.Draft,
            ChangeKind = kind,
            BasedOnNumber = versions.FirstOrDefault(v => v.Status == IpeVersionStatus.Active)?.Number,
            AuthoredBy = actor.Name,
            AuthoredAt = now,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
        };
        db.IpeVersions.Add(draft);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor.Name, "ipe.draft", $"ipe/{ipe.Id}/v{number}",
            $"{kind} saved as draft version {number}{(draft.BasedOnNumber is { } b ? $" (based on version {b})" : "")}; awaits another admin's approval. {draft.Comment}".Trim(),
            actor.Origin, ct);
        return draft;
    }

    /// <summary>Makes a draft the active version (or, for a retirement, takes the IPE out of the catalog).
    /// Its author cannot approve it. Runs already made keep pointing at the version they ran.</summary>
    public async Task<IpeVersion> ApproveAsync(int versionId, string? comment, Actor actor, CancellationToken ct = default)
    {
        var subject = $"ipe-version/{versionId}";
        await EnsureAdminAsync(actor, "ipe.approve", subject, ct);
        await duties.EnsureAsync(await duties.ApproveChangeAsync(versionId, actor, ct), actor, "ipe.approve", subject, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var draft = await db.IpeVersions.FirstAsync(v => v.Id == versionId, ct);
        if (draft.Status != IpeVersionStatus.Draft)
            throw new IpeChangeException([new($"Version {draft.Number} of {draft.IpeId} is {draft.Status}, not awaiting approval.")]);
        var now = clock.GetUtcNow();
        foreach (var active in await db.IpeVersions.Where(v => v.IpeId == draft.IpeId && v.Status == IpeVersionStatus.Active).ToListAsync(ct))
            active.Status = IpeVersionStatus.Superseded;
        draft.Status = draft.ChangeKind == IpeChangeKind.Retire ? IpeVersionStatus.Retired : IpeVersionStatus.Active;
        draft.ApprovedBy = actor.Name;
        draft.ApprovedAt = now;
        draft.ReviewComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.RecordAsync(actor.Name, "ipe.approved", $"ipe/{draft.IpeId}/v{draft.Number}",
            (draft.Status == IpeVersionStatus.Retired ? $"Retirement approved: {draft.IpeId} leaves the catalog." : $"Version {draft.Number} is now active.")
            + $" Author: {draft.AuthoredBy}. {draft.ReviewComment}".TrimEnd(), actor.Origin, ct);
        return draft;
    }

    /// <summary>Turns a draft down with a comment (required). As with approval, never by its author.</summary>
    public async Task<IpeVersion> RejectAsync(int versionId, string comment, Actor actor, CancellationToken ct = default)
    {
        var subject = $"ipe-version/{versionId}";
        await EnsureAdminAsync(actor, "ipe.reject", subject, ct);
        if (string.IsNullOrWhiteSpace(comment))
            throw new IpeChangeException([new("Say why the change is rejected: the comment is required.")]);
        await duties.EnsureAsync(await duties.ApproveChangeAsync(versionId, actor, ct), actor, "ipe.reject", subject, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var draft = await db.IpeVersions.FirstAsync(v => v.Id == versionId, ct);
        draft.Status = IpeVersionStatus.Rejected;
        draft.RejectedBy = actor.Name;
        draft.RejectedAt = clock.GetUtcNow();
        draft.ReviewComment = comment.Trim();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor.Name, "ipe.rejected", $"ipe/{draft.IpeId}/v{draft.Number}",
            $"Author: {draft.AuthoredBy}. {draft.ReviewComment}", actor.Origin, ct);
        return draft;
    }

    // ---- helpers ---------------------------------------------------------------------------

    internal async Task EnsureAdminAsync(Actor actor, string action, string subject, CancellationToken ct) =>
        await duties.EnsureAsync(actor.IsAdmin ? Decision.Allow($"{actor.Name} is an admin.")
            : Decision.Refuse($"Only an admin may change the IPE catalog; {actor.Name} is not an admin."), actor, action, subject, ct);

    internal static bool SameDefinition(IpeDefinition a, IpeDefinition b) =>
        JsonSerializer.Serialize(a, SoxAutoDb.Json) == JsonSerializer.Serialize(b, SoxAutoDb.Json);

    /// <summary>The last full month before today: the period a query is compiled for when it is checked.</summary>
    private Period ReferencePeriod()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var lastMonth = today.AddMonths(-1);
        return Period.TryParse($"{lastMonth.Year:D4}-{lastMonth.Month:D2}", today, out var p, out _) ? p
            : throw new InvalidOperationException("The reference period could not be made.");
    }
}
