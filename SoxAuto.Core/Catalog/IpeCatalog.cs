using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Catalog;

/// <summary>The IPEs as stored: versions in the database, one active version per IPE.</summary>
public sealed class IpeCatalog(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, TimeProvider clock)
{
    public const string SeedAuthor = "system (seed catalog)";

    /// <summary>The active version of every IPE, by id.</summary>
    public async Task<IReadOnlyList<IpeVersion>> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.IpeVersions.AsNoTracking().Where(v => v.Status == IpeVersionStatus.Active).ToListAsync(ct);
        return active.OrderBy(v => v.IpeId, StringComparer.Ordinal).ToList();
    }

    public async Task<IpeVersion?> ActiveAsync(string ipeId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.IpeVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.IpeId == ipeId && v.Status == IpeVersionStatus.Active, ct);
    }

    /// <summary>Makes each seed IPE that the database does not know version 1, approved by the system,
    /// visibly so. For an IPE it knows, an approved version is never replaced: when the seed shipped with
    /// this SoxAuto differs from every version the IPE has had (a database made by an earlier SoxAuto), the
    /// seed's definition becomes a draft authored by the system, which an admin approves or rejects like
    /// any change. Retired IPEs, and IPEs with a draft already awaiting review, are left alone.</summary>
    public async Task SeedAsync(IEnumerable<IpeDefinition> seed, CancellationToken ct = default)
    {
        foreach (var definition in seed) await SeedAsync(definition, ct);
    }

    private async Task SeedAsync(IpeDefinition seed, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var versions = await db.IpeVersions.AsNoTracking().Where(v => v.IpeId == seed.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var active = versions.FirstOrDefault(v => v.Status == IpeVersionStatus.Active);
        if (versions.Count > 0 && (active is null || versions.Any(v => v.Status == IpeVersionStatus.Draft || IpeChanges.SameDefinition(v.Definition, seed))))
            return;
        var number = versions.Count == 0 ? 1 : versions.Max(v => v.Number) + 1;
        var version = new IpeVersion
        {
            IpeId = seed.Id,
            Number = number,
            Definition = seed,
            Status = versions.Count == 0 ? IpeVersionStatus.Active : IpeVersionStatus.Draft,
            ChangeKind = IpeChangeKind.Seed,
            BasedOnNumber = active?.Number,
            AuthoredBy = SeedAuthor,
            AuthoredBySubject = SeedAuthor,
            AuthoredAt = now,
            ApprovedBy = versions.Count == 0 ? SeedAuthor : null,
            ApprovedBySubject = versions.Count == 0 ? SeedAuthor : null,
            ApprovedAt = versions.Count == 0 ? now : null,
            Comment = versions.Count == 0
                ? "Version 1 from the seed catalog shipped with SoxAuto, approved by the system at first start."
                : $"The seed catalog shipped with this SoxAuto differs from every version of {seed.Id} (e.g. new completeness and accuracy "
                  + "settings). Approve to take it; reject to keep the active version.",
        };
        db.IpeVersions.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another process starting at the same time seeded it: one version, whoever wrote it.
            if (await NumberTakenAsync(seed.Id, number, ct)) return;
            throw;
        }
        if (version.Status == IpeVersionStatus.Draft)
            await audit.RecordAsync(SeedAuthor, "ipe.draft", $"ipe/{seed.Id}/v{number}",
                $"Seed saved as draft version {number} (based on version {active!.Number}); awaits an admin's approval. {version.Comment}", "system", ct);
    }

    private async Task<bool> NumberTakenAsync(string ipeId, int number, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.IpeVersions.AnyAsync(v => v.IpeId == ipeId && v.Number == number, ct);
    }
}
