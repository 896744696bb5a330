using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Procedures.Reperformance;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Procedures;

/// <summary>Reperformance on the real services: a run of the demo lake run again, as a run of its own, and
/// compared with the original.</summary>
public sealed class ReperformanceTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    [Fact]
    public async Task Reperforming_a_demo_lake_run_reproduces_its_SHA_256_and_records_the_comparison_in_its_workbook_and_the_trail()
    {
        await using var app = await CoreHost.StartAsync();
        var original = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        original = await app.WaitForFinalAsync(original.Id);
        Assert.Equal(RunState.Succeeded, original.State);

        var requested = await app.Get<Reperformances>().RequestAsync(original.Id, Ada);
        var run = await app.WaitForFinalAsync(requested.Id);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(original.Id, run.ReperformanceOf);
        Assert.Equal((original.IpeVersionId, original.PeriodText), (run.IpeVersionId, run.PeriodText));
        Assert.Equal(original.ExtractSha256, run.ExtractSha256);
        var result = Reperformances.ResultOf(run)!;
        Assert.True(result.Match);
        Assert.True(result.RowCount.Same && result.Sha256.Same);
        Assert.Contains(result.Totals, t => t.Column == "total_amount" && t.Same);
        Assert.Empty(result.Differences);

        using (var workbook = new WorkbookReadBack(app.Get<SoxAuto.Core.DataFolder>().Absolute(run.WorkbookPath!)))
        {
            Assert.Equal("Reperformance", workbook.SheetNames[^1]);
            Assert.Equal("Match", WorkbookReadBack.Text(workbook.Cell("Reperformance", "D2")));
            Assert.Equal(original.ExtractSha256, WorkbookReadBack.Text(workbook.Cell("Reperformance", "B5")));
        }
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entry = await db.AuditTrail.SingleAsync(a => a.Action == "reperformance.requested");
        Assert.Equal(($"run/{run.Id}", "Ada Auditor"), (entry.Subject, entry.Who));
        Assert.Contains($"reperforms run {original.Id}", entry.Detail);
    }

    [Fact]
    public async Task A_run_that_did_not_succeed_or_that_someone_else_ran_is_not_reperformed_and_the_reason_is_given()
    {
        await using var app = await CoreHost.StartAsync();
        var original = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        await app.WaitForFinalAsync(original.Id);
        var reperformances = app.Get<Reperformances>();

        var other = await Assert.ThrowsAsync<RunRequestException>(() => reperformances.RequestAsync(original.Id, new Actor("Bob Auditor", "test") { Subject = TestPeople.SubjectOf("Bob Auditor") }));
        Assert.Equal($"There is no run {original.Id}.", other.Message);
        var missing = await Assert.ThrowsAsync<RunRequestException>(() => reperformances.RequestAsync(9_999, Ada));
        Assert.Equal("There is no run 9999.", missing.Message);

        var failed = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        await app.Get<RunService>().CancelAsync(failed.Id, Ada);
        await app.WaitForFinalAsync(failed.Id);
        var refused = await Assert.ThrowsAsync<RunRequestException>(() => reperformances.RequestAsync(failed.Id, Ada));
        Assert.Contains("ended Cancelled and has no evidence to compare with", refused.Message);
    }
}

/// <summary>What a reperformance says it read, taken from the SQL it sent, table by table.</summary>
public sealed class ReperformanceDataBasisTests
{
    private static Run RunOf(string engine, string sql, DateTimeOffset? started = null) => new()
    {
        Id = 8,
        IpeId = "IPE_09",
        Period = SoxAuto.Core.Periods.Period.Month(2025, 9),
        RequestedBy = "Ada Auditor",
        RequestedBySubject = TestPeople.SubjectOf("Ada Auditor"),
        Engine = engine,
        Database = "sales",
        ExecutedSql = sql,
        StartedAt = started,
    };

    [Fact]
    public void On_Athena_the_Iceberg_tables_read_as_of_a_time_and_the_others_read_now_are_named_each_with_what_that_means()
    {
        var original = RunOf("Amazon Athena", "", new DateTimeOffset(2026, 12, 1, 19, 0, 0, TimeSpan.Zero));
        original.Id = 7;
        var run = RunOf("Amazon Athena", "SELECT * FROM orders FOR TIMESTAMP AS OF TIMESTAMP '2026-12-01 19:00:00.000 UTC' o JOIN ref.customers c ON true, lines");

        var basis = Reperformances.DataBasis(run, original);

        Assert.Equal("On Amazon Athena, the Iceberg tables were read as of run 7's query start (FOR TIMESTAMP AS OF): sales.orders as of 2026-12-01 19:00:00.000 UTC. "
            + "The other tables were read as they are now (ref.customers, sales.lines): they are not Iceberg tables of the configured catalog, "
            + "so data that changed since run 7 (2026-12-01 19:00:00 UTC) may have moved and shows here as differences.", basis);
    }
}
