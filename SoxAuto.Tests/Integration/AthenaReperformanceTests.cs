using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Procedures.Reperformance;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Engines.Athena;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace SoxAuto.Tests.Integration;

/// <summary>Reperformance on Athena (the emulator): Iceberg tables are read as of the original run's query start, so a
/// version committed since does not move the result; a table that keeps no history is read as it is now, and says so.</summary>
public sealed class AthenaReperformanceTests : IClassFixture<DemoLakeFixture>, IAsyncLifetime
{
    private const string Database = "process_pg_bob", Orders = "pg_bob_sales_order", Items = "rpt_soi";
    /// <summary>One order's amount changed, another order deleted: what a new version of the orders table holds.</summary>
    private const string Change = "SELECT * REPLACE (CAST(CASE WHEN order_id = (SELECT MIN(order_id) FROM read_parquet('{0}') WHERE order_date BETWEEN DATE '2025-09-01' AND DATE '2025-09-30') " +
        "THEN total_amount + 1 ELSE total_amount END AS DECIMAL(18,2)) AS total_amount) FROM read_parquet('{0}') " +
        "WHERE order_id <> (SELECT MAX(order_id) FROM read_parquet('{0}') WHERE order_date BETWEEN DATE '2025-09-01' AND DATE '2025-09-30')";
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    private AthenaEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await AthenaEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private Task<CoreHost> StartAsync() =>
        CoreHost.StartAsync(null, AthenaTestKit.Settings(_emulator),
            s => s.AddSingleton<AwsCredentialsSource>(new FixedAwsCredentialsSource(AthenaTestKit.Credentials)));

    private async Task<(Run Original, Run Reperformance)> RunThenReperformAsync(CoreHost app, Action changeTheData)
    {
        var original = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id);
        Assert.True(original.State == RunState.Succeeded, $"{original.State}: {original.Message}");
        changeTheData();
        var reperformance = await app.WaitForFinalAsync((await app.Get<Reperformances>().RequestAsync(original.Id, Ada)).Id);
        Assert.True(reperformance.State == RunState.Succeeded, $"{reperformance.State}: {reperformance.Message}");
        return (original, reperformance);
    }

    private string SentFor(Run run) => _emulator.StartRequests
        .Where(r => (string?)r["ClientRequestToken"] is { } token && token.StartsWith($"soxauto-run-{run.Id}-", StringComparison.Ordinal) && !token.Contains("-control-", StringComparison.Ordinal))
        .Select(r => (string)r["QueryString"]!).Single();

    [Fact]
    public async Task Reperforming_after_a_new_Iceberg_version_reads_the_table_as_of_the_original_run_and_reproduces_its_SHA_256()
    {
        _emulator.MakeIceberg(Database, Orders);
        _emulator.MakeIceberg(Database, Items); // what IPE_09's control query counts
        await using var app = await StartAsync();

        var (original, run) = await RunThenReperformAsync(app, () =>
        {
            _emulator.CommitIcebergVersion(Database, Orders, Change);
            _emulator.CommitIcebergVersion(Database, Items, "SELECT * FROM read_parquet('{0}') WHERE id_sales_order % 3 <> 0");
        });

        var result = Reperformances.ResultOf(run)!;
        Assert.True(result.Match, result.DataBasis);
        Assert.Equal(original.ExtractSha256, run.ExtractSha256);
        var asOf = IcebergAsOf.Literal(original.StartedAt!.Value);
        var sent = SentFor(run);
        Assert.True(sent.Contains($"FROM pg_bob_sales_order FOR TIMESTAMP AS OF {asOf} o", StringComparison.Ordinal), $"{asOf} not in {sent}");
        Assert.Equal(SentFor(run), run.ExecutedSql);
        // The control query read its table as of the same time, so its totals still agree with the extract.
        Assert.Contains($"FROM rpt_soi FOR TIMESTAMP AS OF {asOf} i", Assert.Single(run.Checks, c => c.Name.StartsWith("Completeness", StringComparison.Ordinal)).Rule, StringComparison.Ordinal);
        Assert.All(run.Checks, c => Assert.True(c.Status == SoxAuto.Core.Checks.CheckStatus.Passed, $"{c.Name}: {c.Status} {c.Actual} {c.Detail}"));
        var read = Assert.Single(_emulator.AsOfReads, r => r.Table == $"{Database}.{Orders}" && r.AsOf <= original.StartedAt);
        Assert.True(read.Snapshot <= original.StartedAt, "the snapshot read is the one committed before the original run");
        Assert.Contains($"Iceberg tables were read as of run {original.Id}'s query start (FOR TIMESTAMP AS OF): {Database}.{Orders} as of {asOf[11..^1]}", result.DataBasis);
        Assert.EndsWith("Every table the query reads is an Iceberg table.", result.DataBasis, StringComparison.Ordinal);

        // The evidence records the SQL as executed, says it is not the approved text verbatim, and carries the approved text.
        using (var workbook = new WorkbookReadBack(app.Get<SoxAuto.Core.DataFolder>().Absolute(run.WorkbookPath!)))
        {
            var evidence = Texts(workbook, "Evidence");
            Assert.Contains(evidence, t => t.StartsWith("Not the approved SQL verbatim: FOR TIMESTAMP AS OF was added", StringComparison.Ordinal));
            Assert.Contains(Texts(workbook, "Query"), t => t.Contains($"FOR TIMESTAMP AS OF {asOf}", StringComparison.Ordinal));
            var sheet = Texts(workbook, "Reperformance");
            Assert.Contains("FROM pg_bob_sales_order o", sheet);
        }

        // The table did move: the same IPE run now reads the new version.
        var now = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id);
        Assert.NotEqual(original.ExtractSha256, now.ExtractSha256);
    }

    [Fact]
    public async Task Reperforming_after_a_table_without_history_changed_shows_the_differences_and_says_the_data_may_have_moved()
    {
        await using var app = await StartAsync();

        var (original, run) = await RunThenReperformAsync(app, () => _emulator.ReplaceTableData(Database, Orders, Change));

        var result = Reperformances.ResultOf(run)!;
        Assert.False(result.Match);
        Assert.Equal((0, 1, 1), (result.AddedRows, result.RemovedRows, result.ChangedRows));
        Assert.False(result.RowCount.Same);
        Assert.Contains(result.Totals, t => t.Column == "total_amount" && !t.Same);
        Assert.Equal(original.ExecutedSql, run.ExecutedSql);
        Assert.DoesNotContain("FOR TIMESTAMP AS OF", SentFor(run), StringComparison.Ordinal);
        Assert.True(_emulator.CallsOf("GetTableMetadata") >= 1, "the catalog was asked which tables are Iceberg");
        Assert.Contains($"The tables as they are now on {run.Engine} ({Database}.{Orders}): none is an Iceberg table", result.DataBasis, StringComparison.Ordinal);
        Assert.Contains("may have moved", result.DataBasis, StringComparison.Ordinal);
    }

    private static List<string> Texts(WorkbookReadBack workbook, string sheet) =>
        [.. workbook.Rows(sheet).SelectMany(r => r.Elements<Cell>()).Select(WorkbookReadBack.Text).OfType<string>()];
}
