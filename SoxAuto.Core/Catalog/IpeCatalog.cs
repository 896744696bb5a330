using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Catalog;

/// <summary>The IPEs as stored: versions in the database, one active version per IPE.</summary>
public sealed class IpeCatalog(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock)
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
    /// visibly so. IPEs already present are left alone: their history belongs to the admins.</summary>
    public async Task SeedAsync(IEnumerable<IpeDefinition> seed, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var known = (await db.IpeVersions.Select(v => v.IpeId).Distinct().ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var def in seed.Where(d => !known.Contains(d.Id)))
        {
            db.IpeVersions.Add(new IpeVersion
            {
                IpeId = def.Id,
                Number = 1,
                Definition = def,
                Status = IpeVersionStatus.Active,
                ChangeKind = IpeChangeKind.Seed,
                AuthoredBy = SeedAuthor,
                AuthoredAt = now,
                ApprovedBy = SeedAuthor,
                ApprovedAt = now,
                Comment = "Version 1 from the seed catalog shipped with SoxAuto, approved by the system at first start.",
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
