using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Audit;

/// <summary>An entry could not be appended to the audit trail.</summary>
public sealed class AuditTrailException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Appends to the audit trail. Entries are chained by SHA-256 so the trail can be verified.</summary>
public sealed class AuditTrail(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock, ILogger<AuditTrail> log)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>How many times an append whose predecessor another writer took first is tried afresh.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Appends one entry after the current last one. Several processes append to one database
    /// (the web app, headless runs), so the order is kept by the database, not by a lock in this process:
    /// reading the last entry and inserting the next happen in one write transaction, and a unique index
    /// on the predecessor refuses a second entry after the same one; such a refused append is tried again
    /// on the new last entry.</summary>
    public async Task RecordAsync(string who, string action, string subject, string detail = "", string origin = "", CancellationToken ct = default)
    {
        (who, action, subject, detail, origin) = AuditText.Clean(who, action, subject, detail, origin);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            // On SQLite a transaction begins IMMEDIATE (it takes the write lock at once), so no other
            // process can append between the read of the last entry and the insert.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var last = await db.AuditTrail.OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
            var entry = new AuditEntry
            {
                At = clock.GetUtcNow(),
                Who = who,
                Action = action,
                Subject = subject,
                Detail = detail,
                Origin = origin,
                PreviousId = last?.Id ?? 0,
                PreviousHash = last?.Hash ?? Genesis,
                Hash = "",
            };
            entry.Hash = HashOf(entry);
            db.AuditTrail.Add(entry);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                // Another writer appended after the same entry first (a database without an immediate write
                // lock, e.g. PostgreSQL under read committed): read the new last entry and try again.
                log.LogInformation(e, "Audit entry {Action} on {Subject} was refused (attempt {Attempt}); trying again", action, subject, attempt);
            }
            catch (DbUpdateException e)
            {
                throw new AuditTrailException(
                    $"The audit trail refused the entry '{action}' on '{subject}' {MaxAttempts} times: {e.InnerException?.Message ?? e.Message}", e);
            }
        }
    }

    /// <summary>Recomputes the chain; returns the id of the first entry that does not match, or null.</summary>
    public async Task<long?> FirstBrokenEntryAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var previous = Genesis;
        var previousId = 0L;
        await foreach (var e in db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.PreviousHash != previous || e.Hash != HashOf(e) || (e.PreviousId is { } p && p != previousId)) return e.Id;
            previous = e.Hash;
            previousId = e.Id;
        }
        return null;
    }

    public static string HashOf(AuditEntry e)
    {
        var text = string.Join('\n', e.PreviousHash, e.At.UtcDateTime.ToString("O"), e.Who, e.Action, e.Subject, e.Detail, e.Origin);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
