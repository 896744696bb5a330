using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Audit;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Audit;

/// <summary>What keeps the audit trail one chain, whoever appends: each entry names the one it follows,
/// and the database refuses a second entry after the same one.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Each_entry_names_the_entry_it_follows_and_the_database_refuses_a_second_one_after_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = TrailOn(database);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");
        await trail.RecordAsync("Ada Auditor", "signout", "person/ada");

        await using var db = await database.Dbs.CreateDbContextAsync();
        var entries = await db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([0, entries[0].Id], entries.Select(e => e.PreviousId));
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);

        // A fork written straight into the table, as a bug or a second writer would: refused.
        var fork = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO AuditTrail (At, Who, Action, Subject, Detail, Origin, PreviousId, PreviousHash, Hash) " +
            "VALUES ('2025-10-01T00:00:00.0000000Z', 'Mallory', 'signin', 'person/m', '', '', {0}, {1}, 'x')",
            entries[0].Id, entries[0].Hash));
        Assert.Contains("UNIQUE constraint failed: AuditTrail.PreviousId", fork.Message);
        Assert.Null(await trail.FirstBrokenEntryAsync());
    }

    [Fact]
    public async Task A_trail_that_forked_before_the_upgrade_still_migrates_and_new_entries_chain_onto_its_last_entry()
    {
        // The schema as the previous version left it, with a fork: two entries after the first.
        await using var database = await TestDatabase.CreateAsync("EngineStatistics");
        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var first = Legacy("signin", AuditTrail.Genesis);
            var second = Legacy("run.requested", first.Hash);
            var forked = Legacy("run.succeeded", first.Hash);
            foreach (var e in new[] { first, second, forked })
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO AuditTrail (At, Who, Action, Subject, Detail, Origin, PreviousHash, Hash) VALUES ({0}, {1}, {2}, {3}, '', '', {4}, {5})",
                    e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"), e.Who, e.Action, e.Subject, e.PreviousHash, e.Hash);
        }

        await database.MigrateAsync();
        var trail = TrailOn(database);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");

        await using var check = await database.Dbs.CreateDbContextAsync();
        var entries = await check.AuditTrail.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(4, entries.Count);
        Assert.Equal(entries[2].Id, entries[3].PreviousId);
        Assert.Equal(entries[2].Hash, entries[3].PreviousHash);
        // The old fork is still reported: an append-only trail is not repaired, only continued.
        Assert.Equal(entries[2].Id, await trail.FirstBrokenEntryAsync());
    }

    [Fact]
    public async Task An_append_the_unique_index_refuses_is_tried_again_and_recorded_once()
    {
        var rival = new RivalAppender(times: 1);
        await using var database = await TestDatabase.CreateAsync(interceptors: rival);
        var trail = TrailOn(database);

        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");

        Assert.Equal(1, rival.Refusals);
        await using var db = await database.Dbs.CreateDbContextAsync();
        Assert.Equal(["signin"], await db.AuditTrail.Select(a => a.Action).ToListAsync());
        Assert.Null(await trail.FirstBrokenEntryAsync());
    }

    [Fact]
    public async Task An_append_refused_every_time_ends_with_a_clear_error_after_a_few_tries()
    {
        var rival = new RivalAppender(times: int.MaxValue);
        await using var database = await TestDatabase.CreateAsync(interceptors: rival);

        var e = await Assert.ThrowsAsync<AuditTrailException>(() => TrailOn(database).RecordAsync("Ada Auditor", "signin", "person/ada"));

        Assert.Equal(AuditTrail.MaxAttempts, rival.Refusals);
        Assert.StartsWith($"The audit trail refused the entry 'signin' on 'person/ada' {AuditTrail.MaxAttempts} times:", e.Message);
        Assert.Contains("UNIQUE constraint failed", e.Message);
    }

    private static AuditTrail TrailOn(TestDatabase database) =>
        new(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);

    private static AuditEntry Legacy(string action, string previousHash)
    {
        var e = new AuditEntry { At = DateTimeOffset.UtcNow, Who = "system", Action = action, Subject = "run/1", PreviousHash = previousHash, Hash = "" };
        e.Hash = AuditTrail.HashOf(e);
        return e;
    }

    /// <summary>Just before SoxAuto inserts an entry, appends one after the same predecessor inside the same
    /// transaction: the race that a database without an immediate write lock (PostgreSQL) allows between
    /// reading the last entry and inserting the next, made to happen on purpose.</summary>
    private sealed class RivalAppender(int times) : DbCommandInterceptor
    {
        public int Refusals { get; private set; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            if (Refusals < times && command.CommandText.StartsWith("INSERT INTO \"AuditTrail\"", StringComparison.Ordinal))
            {
                Refusals++;
                using var rival = command.Connection!.CreateCommand();
                rival.Transaction = command.Transaction;
                rival.CommandText =
                    "INSERT INTO AuditTrail (At, Who, Action, Subject, Detail, Origin, PreviousId, PreviousHash, Hash) " +
                    "SELECT '2025-10-01T00:00:00.0000000Z', 'rival', 'rival', 'rival', '', '', COALESCE(MAX(Id), 0), 'x', 'y' FROM AuditTrail";
                await rival.ExecuteNonQueryAsync(ct);
            }
            return result;
        }
    }
}
