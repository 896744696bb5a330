using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Reconciliations;

/// <summary>
/// Changing a control's thresholds the way IPE SQL is changed (<see cref="IpeChanges"/>): only admins;
/// every save is a new immutable draft version; a second admin approves or rejects it (segregation of
/// duties, decided here so no page can skip it); approval makes it the version the next reconciliation
/// uses. Every step is in the audit trail.
/// </summary>
public sealed class ControlChanges(IDbContextFactory<SoxAutoDb> dbs, SegregationOfDuties duties, AuditTrail audit, TimeProvider clock)
{
    public async Task<ControlVersion?> ActiveAsync(string controlId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ControlVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.ControlId == controlId && v.Status == IpeVersionStatus.Active, ct);
    }

    /// <summary>The active version of every control, by id.</summary>
    public async Task<IReadOnlyList<ControlVersion>> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.ControlVersions.AsNoTracking().Where(v => v.Status == IpeVersionStatus.Active).ToListAsync(ct);
        return active.OrderBy(v => v.ControlId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every version of one control, newest first.</summary>
    public async Task<IReadOnlyList<ControlVersion>> HistoryAsync(string controlId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ControlVersions.AsNoTracking().Where(v => v.ControlId == controlId).OrderByDescending(v => v.Number).ToListAsync(ct);
    }

    /// <summary>A version against the one it was written on (a draft: against the active one).</summary>
    public async Task<IpeDiff?> DiffAsync(string controlId, int number, CancellationToken ct = default)
    {
        var history = await HistoryAsync(controlId, ct);
        if (history.FirstOrDefault(v => v.Number == number) is not { } right) return null;
        var left = right.Status == IpeVersionStatus.Draft
            ? history.FirstOrDefault(v => v.Status == IpeVersionStatus.Active)
            : history.FirstOrDefault(v => v.Number == right.BasedOnNumber);
        return IpeDiff.OfSettings(left is null ? "(nothing)" : Title(left), Title(right), left?.Definition.SettingsText() ?? "", right.Definition.SettingsText());
    }

    private static string Title(ControlVersion v) => $"Version {v.Number} ({v.Status}, by {v.AuthoredBy})";

    /// <summary>Makes each seed control that the database does not know version 1, approved by the system.</summary>
    public async Task SeedAsync(IEnumerable<ControlDefinition> seed, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var known = (await db.ControlVersions.Select(v => v.ControlId).Distinct().ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var def in seed.Where(d => !known.Contains(d.Id)))
        {
            db.ControlVersions.Add(new ControlVersion
            {
                ControlId = def.Id,
                Number = 1,
                Definition = def,
                Status = IpeVersionStatus.Active,
                ChangeKind = IpeChangeKind.Seed,
                AuthoredBy = IpeCatalog.SeedAuthor,
                AuthoredBySubject = IpeCatalog.SeedAuthor,
                AuthoredAt = now,
                ApprovedBy = IpeCatalog.SeedAuthor,
                ApprovedBySubject = IpeCatalog.SeedAuthor,
                ApprovedAt = now,
                Comment = "Version 1 from the seed catalog shipped with SoxAuto, approved by the system at first start.",
            });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same time seeded them first: one version 1, whoever wrote it.
            await using var again = await dbs.CreateDbContextAsync(ct);
            var seeded = await again.ControlVersions.Select(v => v.ControlId).Distinct().ToListAsync(ct);
            if (!seed.All(d => seeded.Contains(d.Id))) throw;
        }
    }

    /// <summary>Saves a change as a new draft version; drafts of the same control awaiting review are replaced by it.</summary>
    public async Task<ControlVersion> SaveDraftAsync(ControlDefinition control, string? comment, Actor actor, CancellationToken ct = default)
    {
        await EnsureAdminAsync(actor, "control.draft", $"control/{control.Id}", ct);
        if (control.Problems() is { Count: > 0 } problems) throw new IpeChangeException(problems.Select(p => new SqlProblem(p)).ToList());
        await using var db = await dbs.CreateDbContextAsync(ct);
        var versions = await db.ControlVersions.Where(v => v.ControlId == control.Id).ToListAsync(ct);
        var active = versions.FirstOrDefault(v => v.Status == IpeVersionStatus.Active);
        if (active is null)
            throw new IpeChangeException([new($"There is no control {control.Id} in the catalog.")]);
        if (active.Definition.SettingsText() == control.SettingsText())
            throw new IpeChangeException([new($"This is exactly version {active.Number}, the active version of {control.Id}: there is no change to approve.")]);
        var now = clock.GetUtcNow();
        var number = versions.Max(v => v.Number) + 1;
        foreach (var pending in versions.Where(v => v.Status == IpeVersionStatus.Draft))
            pending.ReplaceBeforeReview(actor, now, number);
        var draft = new ControlVersion
        {
            ControlId = control.Id,
            Number = number,
            Definition = control,
            Status = IpeVersionStatus.Draft,
            ChangeKind = IpeChangeKind.Edit,
            BasedOnNumber = active.Number,
            AuthoredBy = actor.Name,
            AuthoredBySubject = actor.Subject,
            AuthoredAt = now,
            Comment = CatalogVersion.Trimmed(comment),
        };
        db.ControlVersions.Add(draft);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, "control.draft", $"control/{control.Id}/v{number}",
            $"Thresholds saved as draft version {number} (based on version {active.Number}); awaits another admin's approval. {draft.Comment}".Trim(), ct);
        return draft;
    }

    /// <summary>Makes a draft the active version: the next reconciliation uses it. Never by its author.</summary>
    public async Task<ControlVersion> ApproveAsync(int versionId, string? comment, Actor actor, CancellationToken ct = default)
    {
        var draft = await DecideAsync(versionId, actor, "control.approve", ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Two admins approving at once must not leave two active versions.
        await db.LockForWritesAsync<ControlVersion>(ct);
        draft = await db.ControlVersions.FirstAsync(v => v.Id == versionId, ct);
        if (draft.Status != IpeVersionStatus.Draft)
            throw new IpeChangeException([new($"Version {draft.Number} of {draft.ControlId} is {draft.Status}, not awaiting approval.")]);
        foreach (var active in await db.ControlVersions.Where(v => v.ControlId == draft.ControlId && v.Status == IpeVersionStatus.Active).ToListAsync(ct))
            active.Status = IpeVersionStatus.Superseded;
        draft.Approve(actor, clock.GetUtcNow(), comment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.RecordAsync(actor, "control.approved", $"control/{draft.ControlId}/v{draft.Number}",
            $"Version {draft.Number} is now active. Author: {draft.AuthoredBy}. {draft.ReviewComment}".TrimEnd(), ct);
        return draft;
    }

    /// <summary>Turns a draft down with a comment (required); never by its author.</summary>
    public async Task<ControlVersion> RejectAsync(int versionId, string comment, Actor actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
            throw new IpeChangeException([new("Say why the change is rejected: the comment is required.")]);
        await DecideAsync(versionId, actor, "control.reject", ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var draft = await db.ControlVersions.FirstAsync(v => v.Id == versionId, ct);
        if (draft.Status != IpeVersionStatus.Draft)
            throw new IpeChangeException([new($"Version {draft.Number} of {draft.ControlId} is {draft.Status}, not awaiting approval.")]);
        draft.Reject(actor, clock.GetUtcNow(), comment);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, "control.rejected", $"control/{draft.ControlId}/v{draft.Number}",
            $"Author: {draft.AuthoredBy}. {draft.ReviewComment}", ct);
        return draft;
    }

    /// <summary>Only an admin, and not the draft's author, may decide on it; a refusal is audited and thrown.</summary>
    private async Task<ControlVersion> DecideAsync(int versionId, Actor actor, string action, CancellationToken ct)
    {
        var subject = $"control-version/{versionId}";
        await EnsureAdminAsync(actor, action, subject, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ControlVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
        await duties.EnsureAsync(version is null ? Decision.Refuse($"There is no control version {versionId}.")
            : SegregationOfDuties.MayApproveChange(version, actor), actor, action, subject, ct);
        return version!;
    }

    private async Task EnsureAdminAsync(Actor actor, string action, string subject, CancellationToken ct) =>
        await duties.EnsureAsync(actor.IsAdmin ? Decision.Allow($"{actor.Name} is an admin.")
            : Decision.Refuse($"Only an admin may change a control's thresholds; {actor.Name} is not an admin."), actor, action, subject, ct);
}
