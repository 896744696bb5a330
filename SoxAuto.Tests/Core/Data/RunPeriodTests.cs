using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Data;

/// <summary>A run's period is one value (<see cref="Run.Period"/>) in the database as in code.</summary>
public sealed class RunPeriodTests
{
    [Fact]
    public async Task A_run_stored_before_Period_was_one_property_reads_back_with_its_period()
    {
        await using var database = await TestDatabase.CreateAsync("20261201032800_RunLeasesAndAuditPredecessor");
        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var definition = JsonSerializer.Serialize(TestIpes.Orders(), SoxAutoDb.Json);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO IpeVersions (Id, IpeId, Number, Definition, Status, ChangeKind, AuthoredBy, AuthoredAt)
                VALUES (1, 'IPE_T1', 1, {definition}, 'Active', 'New', 'seed', '2025-10-01T00:00:00.0000000Z')
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO Runs (Id, IpeId, IpeVersionId, IpeVersionNumber, PeriodText, PeriodKind, PeriodStart, PeriodEnd,
                                  Parameters, RequestedBy, RequestedAt, State, CancelRequested)
                VALUES (7, 'IPE_T1', 1, 1, '2025-Q3', 'Quarter', '2025-07-01', '2025-09-30', '[]', 'Ada Auditor',
                        '2025-10-02T08:00:00.0000000Z', 'Succeeded', 0)
                """);
        }

        await database.MigrateAsync();

        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var run = await db.Runs.SingleAsync(r => r.Id == 7);
            Assert.Equal(new Period(PeriodKind.Quarter, new(2025, 7, 1), new(2025, 9, 30)), run.Period);
            Assert.Equal("2025-Q3", run.PeriodText);
            Assert.Equal("IPE_T1_2025-Q3_run-7", run.FileStem);
        }
    }

    [Theory]
    [InlineData("2025-09")]
    [InlineData("2025-Q3")]
    [InlineData("2025")]
    [InlineData("2025-09-15")]
    public async Task A_run_keeps_its_period_of_every_kind_and_is_found_by_its_text(string text)
    {
        var period = Period.Parse(text, new DateOnly(2026, 11, 25));
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var version = new IpeVersion { IpeId = "IPE_T1", Number = 1, Definition = TestIpes.Orders(), AuthoredBy = "seed", AuthoredBySubject = TestPeople.SubjectOf("seed"), Status = IpeVersionStatus.Active };
            db.Runs.Add(new Run
            {
                IpeId = "IPE_T1",
                IpeVersion = version,
                IpeVersionNumber = 1,
                Period = period,
                RequestedBy = "Ada Auditor",
                RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"),
                RequestedAt = DateTimeOffset.UtcNow,
                State = RunState.Queued,
            });
            await db.SaveChangesAsync();
        }

        await using (var db = await database.Dbs.CreateDbContextAsync())
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.PeriodText == text);
            Assert.Equal(period, run.Period);
        }
    }
}
