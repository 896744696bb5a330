using System.Globalization;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Core.Engines.EngineTestKit;

namespace SoxAuto.Tests.Core.Engines;

public class LocalEngineTests : IClassFixture<DemoLakeFixture>, IDisposable
{
    private readonly TempDataFolder _data = DemoLakeFixture.NewDataFolder();
    private readonly LocalEngine _engine;

    public LocalEngineTests() => _engine = new LocalEngine(_data.Folder);

    public void Dispose()
    {
        _engine.Dispose();
        _data.Dispose();
    }

    /// <summary>Long enough to still be running when stopped (billions of hashes), short of nothing.</summary>
    private const string EndlessSql = "SELECT sum(hash(range)) AS h FROM range(1000000000000)";

    [Fact]
    public void The_name_says_local_and_the_DuckDB_version()
    {
        Assert.StartsWith("Local (DuckDB v", _engine.Name);
        Assert.EndsWith(")", _engine.Name);
    }

    [Fact]
    public async Task A_result_is_written_in_Athena_CSV_dialect_with_Athena_type_names()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("fr-FR"); // a comma decimal separator must not leak in
        try
        {
            var (columns, csv) = await QueryAsync(_engine, """
                SELECT * FROM (VALUES
                  (1, 'plain', CAST(1234.5 AS DECIMAL(18, 2)), DATE '2025-09-30', TIMESTAMP '2025-09-30 23:59:59.5', true, CAST(0.1 AS DOUBLE), CAST(9007199254740993 AS BIGINT)),
                  (2, 'say "hi", then
                leave', CAST(-0.05 AS DECIMAL(18, 2)), NULL, NULL, false, CAST(1e7 AS DOUBLE), NULL),
                  (3, '', CAST(1234567890123456.78 AS DECIMAL(18, 2)), DATE '2025-01-01', TIMESTAMP '2025-01-01 00:00:00', NULL, NULL, -1),
                  (4, NULL, NULL, NULL, NULL, NULL, NULL, 0),
                  (5, 'Côte d''Ivoire ✓ شركة =SUM(A1)', CAST(0 AS DECIMAL(18, 2)), NULL, NULL, NULL, CAST(-2.5 AS DOUBLE), NULL)
                ) t(n, text, amount, day, stamp, flag, ratio, big)
                ORDER BY n
                """);

            Assert.Equal(
                ["integer", "varchar", "decimal(18,2)", "date", "timestamp", "boolean", "double", "bigint"],
                columns.Select(c => c.Type));
            Assert.Equal(
                "\"n\",\"text\",\"amount\",\"day\",\"stamp\",\"flag\",\"ratio\",\"big\"\n" +
                "\"1\",\"plain\",\"1234.50\",\"2025-09-30\",\"2025-09-30 23:59:59.500\",\"true\",\"0.1\",\"9007199254740993\"\n" +
                "\"2\",\"say \"\"hi\"\", then\nleave\",\"-0.05\",,,\"false\",\"1.0E7\",\n" +
                "\"3\",\"\",\"1234567890123456.78\",\"2025-01-01\",\"2025-01-01 00:00:00.000\",,,\"-1\"\n" +
                "\"4\",,,,,,,\"0\"\n" +
                "\"5\",\"Côte d'Ivoire ✓ شركة =SUM(A1)\",\"0.00\",,,,\"-2.5\",\n",
                csv);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task An_empty_result_is_the_header_alone()
    {
        var (columns, csv) = await QueryAsync(_engine, "SELECT order_id, total_amount FROM pg_bob_sales_order WHERE 1 = 0");
        Assert.Equal(["bigint", "decimal(18,2)"], columns.Select(c => c.Type));
        Assert.Equal("\"order_id\",\"total_amount\"\n", csv);
    }

    [Fact]
    public async Task Lake_tables_resolve_by_database_name_qualified_or_through_the_default_database()
    {
        var (_, qualified) = await QueryAsync(_engine, "SELECT count(*) AS n FROM process_central_fin_dwh.dim_company", "process_pg_bob");
        var (_, unqualified) = await QueryAsync(_engine, "SELECT count(*) AS n FROM dim_company", "process_central_fin_dwh");
        var (_, catalog) = await QueryAsync(_engine, "SELECT count(*) AS n FROM awsdatacatalog.process_central_fin_dwh.dim_company", "process_pg_bob");
        Assert.Equal("\"n\"\n\"9\"\n", qualified);
        Assert.Equal(qualified, unqualified);
        Assert.Equal(qualified, catalog);
    }

    [Fact]
    public async Task Starting_twice_with_the_same_token_returns_the_same_execution_and_runs_once()
    {
        var query = new EngineQuery("SELECT count(*) AS n FROM pg_bob_sales_order", "process_pg_bob", "soxauto-run-42");
        var first = await _engine.StartAsync(query, CancellationToken.None);
        var second = await _engine.StartAsync(query, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Equal(EngineState.Succeeded, (await WaitForFinalAsync(_engine, first)).State);
        // One execution, one result file.
        Assert.Single(Directory.GetFiles(_data.Folder.EngineResults, "*.csv"));

        var other = await _engine.StartAsync(query with { ClientRequestToken = "soxauto-run-43" }, CancellationToken.None);
        Assert.NotEqual(first, other);
        await Assert.ThrowsAsync<EngineException>(() => _engine.StartAsync(query with { Sql = "SELECT 2 AS n" }, CancellationToken.None));
    }

    [Fact]
    public async Task A_start_returns_at_once_while_the_query_runs_in_the_background()
    {
        var id = await _engine.StartAsync(new EngineQuery(EndlessSql, "process_pg_bob", "t"), CancellationToken.None);
        var status = await _engine.GetStatusAsync(id, CancellationToken.None);
        Assert.Contains(status.State, new[] { EngineState.Queued, EngineState.Running });
        await _engine.StopAsync(id, CancellationToken.None);
    }

    [Fact]
    public async Task SQL_that_fails_ends_Failed_with_DuckDBs_message_and_no_stack_trace_nor_files()
    {
        var (id, status) = await RunAsync(_engine, "SELECT no_such_column FROM pg_bob_sales_order");

        Assert.Equal(EngineState.Failed, status.State);
        Assert.StartsWith("Binder Error: Referenced column \"no_such_column\" not found", status.Reason);
        Assert.DoesNotContain("   at ", status.Reason);
        Assert.Empty(Directory.GetFiles(_data.Folder.EngineResults, id + "*"));
        await Assert.ThrowsAsync<EngineException>(() => _engine.OpenResultAsync(id, CancellationToken.None));
    }

    [Theory]
    [InlineData("SELECT * FROM no_such_table", "Table with name no_such_table does not exist")]
    [InlineData("SELEC 1", "Parser Error")]
    [InlineData("COPY (SELECT 1) TO 'x.csv'", "one SELECT query")]
    [InlineData("SELECT 1; SELECT 2", "2 statements")]
    [InlineData("-- nothing but a comment", "no query")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "Permission Error")]
    [InlineData("SELECT date_add('fortnight', 1, DATE '2025-09-30') AS d", "unknown unit 'fortnight'")]
    public async Task Bad_SQL_fails_with_a_clear_reason(string sql, string reason)
    {
        var (_, status) = await RunAsync(_engine, sql);
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains(reason, status.Reason);
    }

    [Fact]
    public async Task An_unknown_database_fails_and_names_the_known_ones()
    {
        var (_, status) = await RunAsync(_engine, "SELECT 1 AS x", "raw_pg_bob");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("'raw_pg_bob' does not exist", status.Reason);
        Assert.Contains("process_central_fin_dwh, process_pg_bob", status.Reason);
    }

    [Fact]
    public async Task A_stopped_query_ends_Cancelled_and_leaves_no_partial_files()
    {
        var id = await _engine.StartAsync(new EngineQuery(EndlessSql, "process_pg_bob", "to-stop"), CancellationToken.None);
        await WaitUntilRunningAsync(id);

        await _engine.StopAsync(id, CancellationToken.None);

        var status = await WaitForFinalAsync(_engine, id, TimeSpan.FromSeconds(30));
        Assert.Equal(EngineState.Cancelled, status.State);
        Assert.Empty(Directory.GetFiles(_data.Folder.EngineResults, id + "*"));
        await Assert.ThrowsAsync<EngineException>(() => _engine.OpenResultAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_query_stopped_while_it_writes_its_result_ends_Cancelled_and_leaves_no_partial_file()
    {
        var id = await _engine.StartAsync(new EngineQuery("SELECT range AS n FROM range(1000000000000)", "process_pg_bob", "to-stop-midway"), CancellationToken.None);
        var partial = Path.Combine(_data.Folder.EngineResults, id + ".csv.partial");
        await RunWaits.UntilAsync(() => Task.FromResult(File.Exists(partial) && new FileInfo(partial).Length > 0), "rows are being written");

        await _engine.StopAsync(id, CancellationToken.None);

        var status = await WaitForFinalAsync(_engine, id, TimeSpan.FromSeconds(30));
        Assert.Equal(EngineState.Cancelled, status.State);
        Assert.Empty(Directory.GetFiles(_data.Folder.EngineResults, id + "*"));
    }

    [Fact]
    public async Task Stopping_a_finished_query_changes_nothing()
    {
        var (id, status) = await RunAsync(_engine, "SELECT 1 AS x");
        await _engine.StopAsync(id, CancellationToken.None);
        Assert.Equal(EngineState.Succeeded, status.State);
        Assert.Equal(EngineState.Succeeded, (await _engine.GetStatusAsync(id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task After_a_restart_a_completed_result_is_Succeeded_and_can_be_read_again_and_an_unknown_id_is_Unknown()
    {
        var (id, status) = await RunAsync(_engine, "SELECT order_nr, total_amount FROM pg_bob_sales_order ORDER BY order_id LIMIT 100");
        Assert.Equal(EngineState.Succeeded, status.State);
        var before = await CsvBytesAsync(_engine, id);

        using var restarted = new LocalEngine(_data.Folder);
        var again = await restarted.GetStatusAsync(id, CancellationToken.None);
        Assert.Equal(EngineState.Succeeded, again.State);
        Assert.NotNull(again.Statistics?.EngineExecutionMillis);
        await using (var result = await restarted.OpenResultAsync(id, CancellationToken.None))
        {
            Assert.Equal(["varchar", "decimal(18,2)"], result.Columns.Select(c => c.Type));
            Assert.Equal($"local engine result file engine-results/{id}.csv", result.Source);
        }
        Assert.Equal(before, await CsvBytesAsync(restarted, id));

        Assert.Equal(EngineState.Unknown, (await restarted.GetStatusAsync(Guid.NewGuid().ToString(), CancellationToken.None)).State);
        Assert.Equal(EngineState.Unknown, (await restarted.GetStatusAsync("../../etc/passwd", CancellationToken.None)).State);
    }

    [Fact]
    public async Task After_a_restart_an_execution_whose_files_were_not_complete_is_Unknown()
    {
        var (id, _) = await RunAsync(_engine, "SELECT 1 AS x");
        // As if the process died between writing the CSV and its column file.
        File.Move(Path.Combine(_data.Folder.EngineResults, id + ".columns.json"), Path.Combine(_data.Folder.EngineResults, id + ".columns.json.partial"));

        using var restarted = new LocalEngine(_data.Folder);
        Assert.Equal(EngineState.Unknown, (await restarted.GetStatusAsync(id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Statistics_report_engine_and_total_time()
    {
        var (_, status) = await RunAsync(_engine, "SELECT count(*) AS n FROM rpt_soi");
        Assert.NotNull(status.Statistics);
        Assert.True(status.Statistics!.EngineExecutionMillis >= 0);
        Assert.True(status.Statistics.TotalMillis >= status.Statistics.EngineExecutionMillis);
        Assert.StartsWith("v", status.Statistics.EngineVersion);
    }

    [Fact]
    public async Task Trino_functions_work_through_the_macros_with_Trinos_result_types()
    {
        var (columns, csv) = await QueryAsync(_engine, """
            SELECT
              date_add('day', 1, DATE '2025-09-30') AS next_day,
              date_add('month', 1, DATE '2025-01-31') AS month_later,
              date_add('hour', 3, TIMESTAMP '2025-09-30 22:00:00') AS hours_later,
              date_add('day', -1, date_trunc('month', DATE '2025-09-17')) AS previous_month_end,
              date_trunc('year', DATE '2025-09-30') AS year_start,
              date_diff('day', DATE '2025-09-01', DATE '2025-09-30') AS days,
              date_diff('month', DATE '2025-01-15', DATE '2025-03-14') AS whole_months,
              last_day_of_month(DATE '2024-02-10') AS leap_month_end,
              regexp_like('13003', '^[0-9]{5}$') AS is_account,
              day_of_week(DATE '2025-09-28') AS sunday,
              date_format(TIMESTAMP '2025-09-30 14:05:09', '%Y-%m-%d %H:%i:%s') AS formatted,
              from_iso8601_date('2025-09-30') AS parsed
            """);
        Assert.Equal(
            ["date", "date", "timestamp", "date", "date", "bigint", "bigint", "date", "boolean", "bigint", "varchar", "date"],
            columns.Select(c => c.Type));
        Assert.EndsWith(
            "\"2025-10-01\",\"2025-02-28\",\"2025-10-01 01:00:00.000\",\"2025-08-31\",\"2025-01-01\",\"29\",\"1\",\"2024-02-29\",\"true\",\"7\",\"2025-09-30 14:05:09\",\"2025-09-30\"\n",
            csv);
    }

    [Fact]
    public async Task The_query_can_read_the_lake_and_nothing_else()
    {
        var outside = Path.Combine(_data.Folder.Root, "outside.csv");
        File.WriteAllText(outside, "a\n1\n");
        var (_, status) = await RunAsync(_engine, $"SELECT * FROM read_csv('{outside}')");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("Permission Error", status.Reason);
    }

    private Task WaitUntilRunningAsync(string id) => RunWaits.UntilAsync(
        async () => (await _engine.GetStatusAsync(id, CancellationToken.None)).State == EngineState.Running, $"execution {id} is running");
}
