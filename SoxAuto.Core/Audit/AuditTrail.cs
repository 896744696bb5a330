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
    /// on the new last entry. Returns the entry as stored (its id and hash anchor what was exported with it).</summary>
    public Task<AuditEntry> RecordAsync(string who, string action, string subject, string detail = "", string origin = "", CancellationToken ct = default) =>
        AppendAsync(who, null, action, subject, detail, origin, ct);

    /// <summary>Appends what <paramref name="actor"/> did, with their name, subject and origin.</summary>
    public Task<AuditEntry> RecordAsync(Runs.Actor actor, string action, string subject, string detail = "", CancellationToken ct = default) =>
        AppendAsync(actor.Name, actor.Subject, action, subject, detail, actor.Origin, ct);

    private async Task<AuditEntry> AppendAsync(string who, string? whoSubject, string action, string subject, string detail, string origin, CancellationToken ct)
    {
        (who, action, subject, detail, origin) = AuditText.Clean(who, action, subject, detail, origin);
        whoSubject = whoSubject is null ? null : AuditText.Clean(whoSubject, "", "", "", "").Who;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            // No other process can append between the read of the last entry and the insert: the transaction
            // holds the write lock (SQLite's begins IMMEDIATE; PostgreSQL's locks the table, see WriteLocks).
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.LockForWritesAsync<AuditEntry>(ct);
            var last = await db.AuditTrail.OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
            var entry = new AuditEntry
            {
                At = clock.GetUtcNow(),
                Who = who,
                WhoSubject = whoSubject,
                Format = CurrentFormat,
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
                return entry;
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

    /// <summary>Recomputes the whole chain from the database, oldest entry first, in one read (a consistent
    /// snapshot while others append), and names the first altered, inserted or missing entry
    /// (<see cref="ChainWalk"/>). With <paramref name="anchor"/> (an entry's id and hash kept elsewhere),
    /// also says whether that entry is still there with that hash: a cut from the end of the trail, or
    /// a rewrite of everything after some entry, is detectable only that way.</summary>
    public async Task<ChainVerdict> VerifyAsync(ChainHead? anchor = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var walk = new ChainWalk(anchor);
        await foreach (var e in db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
            walk.Take(e);
        return walk.Verdict();
    }

    /// <summary>The id of the first entry that breaks the chain, or of the first entry from before the
    /// upgrade that forked; null when neither.</summary>
    public async Task<long?> FirstBrokenEntryAsync(CancellationToken ct = default)
    {
        var verdict = await VerifyAsync(null, ct);
        return verdict.FirstBreak?.EntryId ?? verdict.LegacyForks.FirstOrDefault()?.EntryId;
    }

    /// <summary>The format new entries are written in: 2, whose hash covers who's subject too.</summary>
    public const int CurrentFormat = 2;

    /// <summary>SHA-256 (lower-case hex) of the UTF-8 bytes of, joined by \n (At as <see cref="TimeText"/>):
    /// format 1 (entries from before SoxAuto recorded subjects): PreviousHash, At, Who, Action, Subject,
    /// Detail, Origin; format 2: the text "2", then PreviousHash, At, Who, WhoSubject (empty when null),
    /// Action, Subject, Detail, Origin. An entry's format is part of what format 2 hashes, so an entry cannot
    /// be passed off as format 1 to drop its subject. docs/operations/running.md shows it by hand.</summary>
    public static string HashOf(AuditEntry e)
    {
        var text = e.Format switch
        {
            1 => string.Join('\n', e.PreviousHash, TimeText(e.At), e.Who, e.Action, e.Subject, e.Detail, e.Origin),
            2 => string.Join('\n', "2", e.PreviousHash, TimeText(e.At), e.Who, e.WhoSubject ?? "", e.Action, e.Subject, e.Detail, e.Origin),
            // An unknown format cannot be hashed: the entry does not verify (its hash cannot match this).
            _ => $"unknown audit entry format {e.Format}",
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>An entry's time as hashed: UTC, ISO 8601 with seven decimals, e.g. 2025-10-01T12:00:00.0000000Z.</summary>
    public static string TimeText(DateTimeOffset at) => at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
