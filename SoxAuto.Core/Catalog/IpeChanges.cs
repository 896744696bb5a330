using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Catalog;

/// <summary>
/// Changing the IPE catalog: every save is a new immutable draft version; a second admin approves or
/// rejects it (segregation of duties decides, here in the service, so no page can skip it); approval
/// makes it the active version that auditors run. Restores, new IPEs and retirements are drafts too.
/// Only admins may do any of it. Every step is written to the audit trail.
/// </summary>
public sealed partial class IpeChanges(
    IDbContextFactory<SoxAutoDb> dbs, QueryPlanner planner, SegregationOfDuties duties, AuditTrail audit, TimeProvider clock)
{
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
        var problems = await CheckAsync(ipe, actor, ct);
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
            pending.ReplaceBeforeReview(actor, now, number);
        var draft = new IpeVersion
        {
            IpeId = ipe.Id,
            Number = number,
            Definition = ipe,
            Status = IpeVersionStatus.Draft,
            ChangeKind = kind,
            BasedOnNumber = versions.FirstOrDefault(v => v.Status == IpeVersionStatus.Active)?.Number,
            AuthoredBy = actor.Name,
            AuthoredBySubject = actor.Subject,
            AuthoredAt = now,
            Comment = CatalogVersion.Trimmed(comment),
        };
        db.IpeVersions.Add(draft);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, "ipe.draft", $"ipe/{ipe.Id}/v{number}",
            $"{kind} saved as draft version {number}{(draft.BasedOnNumber is { } b ? $" (based on version {b})" : "")}; awaits another admin's approval. {draft.Comment}".Trim(),
            ct);
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
        // Two admins approving at once must not leave two active versions.
        await db.LockForWritesAsync<IpeVersion>(ct);
        var draft = await db.IpeVersions.FirstAsync(v => v.Id == versionId, ct);
        if (draft.Status != IpeVersionStatus.Draft)
            throw new IpeChangeException([new($"Version {draft.Number} of {draft.IpeId} is {draft.Status}, not awaiting approval.")]);
        var now = clock.GetUtcNow();
        foreach (var active in await db.IpeVersions.Where(v => v.IpeId == draft.IpeId && v.Status == IpeVersionStatus.Active).ToListAsync(ct))
            active.Status = IpeVersionStatus.Superseded;
        draft.Approve(actor, now, comment, draft.ChangeKind == IpeChangeKind.Retire ? IpeVersionStatus.Retired : IpeVersionStatus.Active);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.RecordAsync(actor, "ipe.approved", $"ipe/{draft.IpeId}/v{draft.Number}",
            (draft.Status == IpeVersionStatus.Retired ? $"Retirement approved: {draft.IpeId} leaves the catalog." : $"Version {draft.Number} is now active.")
            + $" Author: {draft.AuthoredBy}. {draft.ReviewComment}".TrimEnd(), ct);
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
        draft.Reject(actor, clock.GetUtcNow(), comment);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, "ipe.rejected", $"ipe/{draft.IpeId}/v{draft.Number}",
            $"Author: {draft.AuthoredBy}. {draft.ReviewComment}", ct);
        return draft;
    }

    internal async Task EnsureAdminAsync(Actor actor, string action, string subject, CancellationToken ct) =>
        await duties.EnsureAsync(actor.IsAdmin ? Decision.Allow($"{actor.Name} is an admin.")
            : Decision.Refuse($"Only an admin may change the IPE catalog; {actor.Name} is not an admin."), actor, action, subject, ct);

    internal static bool SameDefinition(IpeDefinition a, IpeDefinition b) =>
        JsonSerializer.Serialize(a, SoxAutoDb.Json) == JsonSerializer.Serialize(b, SoxAutoDb.Json);
}
