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

/// <summary>Brings the database up to the latest migration, once however many processes start together.</summary>
public static class DatabaseMigration
{
    // Any fixed number: the key of SoxAuto's session advisory lock for migrating.
    private const long MigrationLock = 0x50_58_41_55_54_4F;

    /// <summary>SQLite serializes migrations by its write lock. On PostgreSQL two instances starting on an empty
    /// database both applied the second migration (EF's lock did not cover the whole sequence), so a session
    /// advisory lock, held on the connection the migrations use, lets one migrate while the other waits.</summary>
    public static async Task MigrateOnceAsync(this SoxAutoDb db, CancellationToken ct = default)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(ct);
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLock})", ct);
            try { await db.Database.MigrateAsync(ct); }
            finally { await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None); }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
