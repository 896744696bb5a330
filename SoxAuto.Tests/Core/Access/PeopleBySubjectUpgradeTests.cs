using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Access;

/// <summary>A database from before SoxAuto recorded subjects keeps its rows: what they record was done by a
/// name only, which becomes a legacy subject that matches nobody who signs in now.</summary>
public sealed class PeopleBySubjectUpgradeTests
{
    private const string Before = "20261201122408_BatchesAndSchedules";

    [Fact]
    public async Task Rows_written_before_subjects_keep_their_names_and_get_legacy_subjects_and_the_audit_chain_still_verifies()
    {
        await using var database = await TestDatabase.CreateAsync(Before);
        var legacyEntry = new AuditEntry
        {
            At = new DateTimeOffset(2025, 10, 2, 8, 0, 0, TimeSpan.Zero),
            Who = "Ada Auditor",
            Action = "run.requested",
            Subject = "run/7",
            Origin = "192.0.2.7",
            PreviousId = 0,
            PreviousHash = AuditTrail.Genesis,
            Hash = "",
        };
        legacyEntry.Hash = AuditTrail.HashOf(legacyEntry);
        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var definition = JsonSerializer.Serialize(TestIpes.Orders(), SoxAutoDb.Json);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO IpeVersions (Id, IpeId, Number, Definition, Status, ChangeKind, AuthoredBy, AuthoredAt, ApprovedBy, ApprovedAt)
                VALUES (1, 'IPE_T1', 1, {definition}, 'Active', 'New', 'Alan Admin', '2025-10-01T00:00:00.0000000Z', 'Beth Admin', '2025-10-01T01:00:00.0000000Z')
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO Runs (Id, Kind, IpeId, IpeVersionId, IpeVersionNumber, PeriodText, PeriodKind, PeriodStart, PeriodEnd,
                                  Parameters, RequestedBy, RequestedAt, State, CancelRequested, ReusedPreviousResult)
                VALUES (7, 'Ipe', 'IPE_T1', 1, 1, '2025-09', 'Month', '2025-09-01', '2025-09-30', '[]', 'Ada Auditor',
                        '2025-10-02T08:00:00.0000000Z', 'Succeeded', 0, 0),
                       (8, 'Ipe', 'IPE_T1', 1, 1, '2025-09', 'Month', '2025-09-01', '2025-09-30', '[]', 'schedule:nightly',
                        '2025-10-02T09:00:00.0000000Z', 'Succeeded', 0, 0)
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO SignOffs (Id, RunId, Decision, By, At, Comment, Files)
                VALUES (1, 8, 'Approved', 'Rita Reviewer', '2025-10-03T08:00:00.0000000Z', 'Agrees with the ledger.', '[]')
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO AuditTrail (At, Who, Action, Subject, Detail, Origin, PreviousId, PreviousHash, Hash)
                VALUES ('2025-10-02T08:00:00.0000000Z', {legacyEntry.Who}, {legacyEntry.Action}, {legacyEntry.Subject}, '', {legacyEntry.Origin}, 0, {AuditTrail.Genesis}, {legacyEntry.Hash})
                """);
        }

        await database.MigrateAsync();

        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var version = await db.IpeVersions.AsNoTracking().SingleAsync();
            Assert.Equal(("Alan Admin", "legacy:Alan Admin", "Beth Admin", "legacy:Beth Admin"),
                (version.AuthoredBy, version.AuthoredBySubject, version.ApprovedBy, version.ApprovedBySubject));
            Assert.Null(version.RejectedBySubject);
            var runs = await db.Runs.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.RequestedBy, r.RequestedBySubject, r.CancelledBySubject }).ToListAsync();
            Assert.Equal(new { RequestedBy = "Ada Auditor", RequestedBySubject = "legacy:Ada Auditor", CancelledBySubject = (string?)null }, runs[0]);
            // A service identity was never a person's name: it stays as it is.
            Assert.Equal("schedule:nightly", runs[1].RequestedBySubject);
            var signOff = await db.SignOffs.AsNoTracking().SingleAsync();
            Assert.Equal(("Rita Reviewer", "legacy:Rita Reviewer"), (signOff.By, signOff.BySubject));
            // The sign-off is again never changed once the upgrade has added who it was.
            var refused = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE SignOffs SET Comment = 'x'"));
            Assert.Contains("never changed", refused.Message);
            var entry = await db.AuditTrail.AsNoTracking().SingleAsync();
            Assert.Equal((1, (string?)null, legacyEntry.Hash), (entry.Format, entry.WhoSubject, entry.Hash));
        }

        // The old entry verifies as format 1; a new one is format 2 with its subject in the hash, and the chain holds.
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);
        var added = await trail.RecordAsync(new Actor("Ada Auditor", "192.0.2.7") { Subject = "ada" }, "run.requested", "run/9");
        Assert.Equal((AuditTrail.CurrentFormat, "ada"), (added.Format, added.WhoSubject));
        var verdict = await trail.VerifyAsync();
        Assert.Null(verdict.FirstBreak);
        Assert.Equal(2, verdict.Entries);

        // The legacy run is nobody's own run now: not the Ada who signs in with a subject...
        var ada = new Actor("Ada Auditor", "test") { Subject = "ada" };
        await using (var db = await database.Dbs.CreateDbContextAsync())
            Assert.Empty(await db.Runs.VisibleTo(ada).Where(r => r.Id == 7).ToListAsync());
        // ...yet a rule that refuses still refuses by its name: she may not sign off what "Ada Auditor" ran.
        await using (var db = await database.Dbs.CreateDbContextAsync())
            Assert.False(SegregationOfDuties.MaySignOff(await db.Runs.AsNoTracking().SingleAsync(r => r.Id == 7), ada).Allowed);
    }

    [Fact]
    public async Task An_entry_whose_subject_was_changed_or_whose_format_was_set_back_to_drop_its_subject_breaks_the_chain()
    {
        foreach (var tamper in new[]
        {
            // Another person's subject: the hash no longer matches.
            "UPDATE AuditTrail SET WhoSubject = 'https://issuer.example#00u2' WHERE Id = 2",
            // Passed off as format 1 (whose hash has no subject), its hash recomputed to match: its format gives it away.
            "UPDATE AuditTrail SET Format = 1, WhoSubject = NULL, Hash = {0} WHERE Id = 2",
        })
        {
            await using var database = await TestDatabase.CreateAsync();
            var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);
            await trail.RecordAsync("system", "run.succeeded", "run/1");
            var entry = await trail.RecordAsync(new Actor("Ada Auditor", "test") { Subject = "https://issuer.example#00u1" }, "signoff.approved", "run/1");
            Assert.True((await trail.VerifyAsync()).Intact);
            var asFormat1 = new AuditEntry
            {
                At = entry.At,
                Who = entry.Who,
                Action = entry.Action,
                Subject = entry.Subject,
                Detail = entry.Detail,
                Origin = entry.Origin,
                PreviousHash = entry.PreviousHash,
                Format = 1,
                Hash = "",
            };
            await using (var db = await database.Dbs.CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditTrail_NoUpdate");
                await db.Database.ExecuteSqlRawAsync(tamper, AuditTrail.HashOf(asFormat1));
            }

            var verdict = await trail.VerifyAsync();

            Assert.Equal((entry.Id, ChainBreakKind.Altered), (verdict.FirstBreak?.EntryId, verdict.FirstBreak?.Kind));
        }
    }
}
