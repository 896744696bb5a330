using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Audit;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Audit;

/// <summary>Recomputing the chain finds what someone with the database file in hand changed: they drop the
/// append-only triggers (and the index that refuses a fork) and edit, insert or delete rows directly.</summary>
public sealed class ChainVerificationTests
{
    [Fact]
    public async Task An_untouched_trail_is_intact_and_names_its_last_entry_as_head()
    {
        await using var database = await TrailOfFiveAsync();

        var verdict = await Trail(database).VerifyAsync();

        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Equal(5, verdict.Entries);
        Assert.Equal(5, verdict.Head!.Id);
        Assert.Null(verdict.FirstBreak);
        Assert.StartsWith("The audit trail's chain is intact: 5 entries", verdict.Summary);
    }

    [Fact]
    public async Task An_entry_edited_in_SQLite_is_named_as_altered()
    {
        await using var database = await TrailOfFiveAsync();
        const string edit = "UPDATE AuditTrail SET Detail = 'IPE_09 v1 for 2025-08' WHERE Id = 3";
        await using (var db = await database.Dbs.CreateDbContextAsync())
            Assert.Contains("append-only", (await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(edit))).Message);
        await AttackAsync(database, edit);

        var verdict = await Trail(database).VerifyAsync();

        Assert.False(verdict.Intact);
        Assert.Equal((3, ChainBreakKind.Altered), (verdict.FirstBreak!.EntryId, verdict.FirstBreak.Kind));
        Assert.StartsWith("The audit trail's chain is broken at entry 3: altered. Its hash no longer matches its content", verdict.Summary);
    }

    [Fact]
    public async Task An_entry_edited_with_its_hash_recomputed_is_named_by_the_entry_after_it()
    {
        await using var database = await TrailOfFiveAsync();
        var entry = await EntryAsync(database, 3);
        entry.Who = "Bob Reviewer";
        await AttackAsync(database, "UPDATE AuditTrail SET Who = {0}, Hash = {1} WHERE Id = 3", entry.Who, AuditTrail.HashOf(entry));

        var verdict = await Trail(database).VerifyAsync();

        Assert.Equal((3, ChainBreakKind.Altered), (verdict.FirstBreak!.EntryId, verdict.FirstBreak.Kind));
        Assert.Contains("Entry 4 names", verdict.FirstBreak.What);
    }

    [Fact]
    public async Task An_entry_inserted_in_the_middle_is_named_as_inserted()
    {
        await using var database = await TrailOfFiveAsync();
        // Room is made at id 3 by moving every later entry up one, then a well-formed entry that follows
        // entry 2 (its hash computed correctly) is slipped in.
        await AttackAsync(database, "UPDATE AuditTrail SET Id = -Id WHERE Id >= 3");
        await AttackAsync(database, "UPDATE AuditTrail SET Id = 1 - Id WHERE Id < 0");
        await ForgeAsync(database, id: 3, after: await EntryAsync(database, 2), "Ada Auditor", "run.requested", "run/99");

        var verdict = await Trail(database).VerifyAsync();

        Assert.Equal(6, verdict.Entries);
        Assert.Equal((3, ChainBreakKind.Inserted), (verdict.FirstBreak!.EntryId, verdict.FirstBreak.Kind));
        Assert.Contains("Entries 3 and 4 both name entry 2 as their predecessor", verdict.FirstBreak.What);
    }

    [Fact]
    public async Task An_entry_appended_to_follow_an_old_entry_is_named_as_inserted()
    {
        await using var database = await TrailOfFiveAsync();
        // Backdated to sit after entry 2, but written at the end (the only free id).
        await ForgeAsync(database, id: null, after: await EntryAsync(database, 2), "Bob Reviewer", "ipe.approved", "ipe/IPE_09/v2");

        var verdict = await Trail(database).VerifyAsync();

        Assert.Equal((6, ChainBreakKind.Inserted), (verdict.FirstBreak!.EntryId, verdict.FirstBreak.Kind));
        Assert.Contains("names entry 2 as its predecessor, but entry 3 already follows that one", verdict.FirstBreak.What);
    }

    [Fact]
    public async Task An_entry_deleted_from_the_middle_is_named_as_missing()
    {
        await using var database = await TrailOfFiveAsync();
        await AttackAsync(database, "DELETE FROM AuditTrail WHERE Id = 3");

        var verdict = await Trail(database).VerifyAsync();

        Assert.Equal((3, ChainBreakKind.Missing), (verdict.FirstBreak!.EntryId, verdict.FirstBreak.Kind));
        Assert.Contains("Entry 3 is gone. Entry 4 names entry 3 as its predecessor, which is gone.", verdict.FirstBreak.What);
    }

    [Fact]
    public async Task Entries_cut_from_the_end_leave_a_chain_that_holds_but_an_anchor_kept_elsewhere_that_does_not()
    {
        await using var database = await TrailOfFiveAsync();
        var trail = Trail(database);
        var anchor = (await trail.VerifyAsync()).Head!;
        Assert.True((await trail.VerifyAsync(anchor)).Intact);
        await AttackAsync(database, "DELETE FROM AuditTrail WHERE Id >= 4");

        var withoutAnchor = await trail.VerifyAsync();
        var withAnchor = await trail.VerifyAsync(anchor);

        Assert.True(withoutAnchor.Intact, "A cut from the end is beyond what the chain alone can show.");
        Assert.False(withAnchor.Intact);
        Assert.Contains("The trail ends at entry 3, before the anchored entry 5: entries were cut from its end.", withAnchor.Summary);
    }

    [Theory]
    [InlineData("5:" + "00000000000000000000000000000000000000000000000000000000000000ab", true)]
    [InlineData("5", false)]
    [InlineData("five:abc", false)]
    [InlineData("5:xyz", false)]
    public void An_anchor_is_read_as_an_id_and_a_SHA_256(string text, bool valid)
    {
        Assert.Equal(valid, ChainHead.TryParse(text, out _));
    }

    private static AuditTrail Trail(TestDatabase database) => new(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);

    private static async Task<TestDatabase> TrailOfFiveAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var trail = Trail(database);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada", "Local demo sign-in; roles: Auditor", "127.0.0.1");
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/1", "IPE_09 v1 for 2025-09", "127.0.0.1");
        await trail.RecordAsync("system", "run.started", "run/1", "IPE_09 v1 for 2025-09", "system");
        await trail.RecordAsync("system", "run.succeeded", "run/1", "1,204 rows", "system");
        await trail.RecordAsync("Ada Auditor", "evidence.downloaded", "run/1", "workbook", "127.0.0.1");
        return database;
    }

    private static async Task<AuditEntry> EntryAsync(TestDatabase database, long id)
    {
        await using var db = await database.Dbs.CreateDbContextAsync();
        return await db.AuditTrail.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    /// <summary>Writes a well-formed entry (its hash computed as SoxAuto would) that claims to follow
    /// <paramref name="after"/>, at <paramref name="id"/> or the next free id.</summary>
    private static async Task ForgeAsync(TestDatabase database, long? id, AuditEntry after, string who, string action, string subject)
    {
        var forged = new AuditEntry
        {
            At = after.At,
            Who = who,
            Action = action,
            Subject = subject,
            PreviousId = after.Id,
            PreviousHash = after.Hash,
            Format = AuditTrail.CurrentFormat,
            Hash = "",
        };
        forged.Hash = AuditTrail.HashOf(forged);
        await AttackAsync(database,
            "INSERT INTO AuditTrail (Id, At, Who, Action, Subject, Detail, Origin, PreviousId, PreviousHash, Hash, Format) VALUES ({0}, {1}, {2}, {3}, {4}, '', '', {5}, {6}, {7}, {8})",
            new SqliteParameter("@id", (object?)id ?? DBNull.Value), AuditTrail.TimeText(forged.At), who, action, subject, after.Id, after.Hash, forged.Hash, forged.Format);
    }

    /// <summary>Changes the database file as someone with access to it would: with sqlite3's own means,
    /// after dropping what stands in the way (the append-only triggers, the index refusing a fork).</summary>
    private static async Task AttackAsync(TestDatabase database, string sql, params object[] args)
    {
        await using var db = await database.Dbs.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("""
            DROP TRIGGER IF EXISTS AuditTrail_NoUpdate;
            DROP TRIGGER IF EXISTS AuditTrail_NoDelete;
            DROP INDEX IF EXISTS IX_AuditTrail_PreviousId;
            """);
        await db.Database.ExecuteSqlRawAsync(sql, args);
    }
}
