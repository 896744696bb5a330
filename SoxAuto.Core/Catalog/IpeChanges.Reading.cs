using Microsoft.EntityFrameworkCore;

namespace SoxAuto.Core.Catalog;

/// <summary>An IPE's place in the catalog as admins see it: the active version (null for a new or
/// retired IPE), the newest version, and how many drafts await a second admin.</summary>
public sealed record IpeOverview(string IpeId, IpeVersion? Active, IpeVersion Latest, int PendingDrafts, bool Retired);

/// <summary>Reading the catalog's versions: what admins list, review and compare.</summary>
public sealed partial class IpeChanges
{
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
}
