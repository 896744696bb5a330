using Microsoft.EntityFrameworkCore;

namespace SoxAuto.Core.Data;

/// <summary>A read-then-write that must not interleave with another process's (append the next audit entry
/// after the last one; approve a draft and supersede the active version) runs in a transaction that holds
/// the table's write lock. SQLite takes its one write lock when the transaction begins; PostgreSQL, which
/// would let two such transactions read the same state, locks the table here: other writers of it wait
/// until the transaction ends, readers do not.</summary>
public static class WriteLocks
{
    /// <summary>Call first inside the transaction.</summary>
    public static async Task LockForWritesAsync<T>(this SoxAutoDb db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        var table = db.Model.FindEntityType(typeof(T))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not a table of SoxAutoDb.");
        // The name comes from the model, never from input.
#pragma warning disable EF1002
        await db.Database.ExecuteSqlRawAsync($"LOCK TABLE \"{table}\" IN SHARE ROW EXCLUSIVE MODE", ct);
#pragma warning restore EF1002
    }
}
