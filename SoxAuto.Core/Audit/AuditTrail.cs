using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Audit;

/// <summary>Appends to the audit trail. Entries are chained by SHA-256 so the trail can be verified.</summary>
public sealed class AuditTrail(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock)
{
    // Appends are serialised so that each entry chains onto the one before it.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task RecordAsync(string who, string action, string subject, string detail = "", string origin = "", CancellationToken ct = default)
    {
        (who, action, subject, detail, origin) = AuditText.Clean(who, action, subject, detail, origin);
        await Gate.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var previous = await db.AuditTrail.OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? Genesis;
            var entry = new AuditEntry
            {
                At = clock.GetUtcNow(),
                Who = who,
                Action = action,
                Subject = subject,
                Detail = detail,
                Origin = origin,
                PreviousHash = previous,
                Hash = "",
            };
            entry.Hash = HashOf(entry);
            db.AuditTrail.Add(entry);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Recomputes the chain; returns the id of the first entry that does not match, or null.</summary>
    public async Task<long?> FirstBrokenEntryAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var previous = Genesis;
        await foreach (var e in db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.PreviousHash != previous || e.Hash != HashOf(e)) return e.Id;
            previous = e.Hash;
        }
        return null;
    }

    public static string HashOf(AuditEntry e)
    {
        var text = string.Join('\n', e.PreviousHash, e.At.UtcDateTime.ToString("O"), e.Who, e.Action, e.Subject, e.Detail, e.Origin);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
