using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>Reading Iceberg tables as of a time on Athena: the catalog says which tables are Iceberg, only those get
/// FOR TIMESTAMP AS OF, and the emulator reads (or refuses) such a query as Athena does.</summary>
public sealed class IcebergAsOfTests : AthenaEmulatorTest
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 20, 1, 2, 345, TimeSpan.FromHours(1));
    [Fact]
    public async Task The_catalog_reports_an_Iceberg_table_by_its_table_type_parameter()
    {
        Emulator.MakeIceberg("process_pg_bob", "pg_bob_sales_order");
        using var engine = AthenaTestKit.Engine(Emulator, Data);
        var catalog = new AthenaCatalog(engine);

        var orders = await catalog.TableAsync("process_pg_bob", "pg_bob_sales_order", CancellationToken.None);
        var tables = await catalog.TablesAsync("process_pg_bob", CancellationToken.None);

        Assert.True(orders.IsIceberg);
        Assert.Equal("ICEBERG", orders.Parameters["table_type"]);
        Assert.Equal(["pg_bob_sales_order"], tables.Where(t => t.IsIceberg).Select(t => t.Name));
    }

    [Fact]
    public async Task Only_the_Iceberg_tables_of_a_query_get_FOR_TIMESTAMP_AS_OF_in_UTC_to_the_millisecond()
    {
        Emulator.MakeIceberg("process_pg_bob", "pg_bob_sales_order");
        using var engine = AthenaTestKit.Engine(Emulator, Data);
        var sql = """
            WITH orders AS (SELECT * FROM "PROCESS_PG_BOB"."pg_bob_sales_order" WHERE note <> 'FROM pg_bob_sales_order')
            SELECT * FROM orders o -- FROM pg_bob_sales_order
            JOIN pg_bob_sales_order AS again ON again.order_id = o.order_id, rpt_soi i
            """;

        var rewritten = await ((IQueryEngine)engine).ReadAsOfAsync(sql, "process_pg_bob", At, CancellationToken.None);

        const string Clause = " FOR TIMESTAMP AS OF TIMESTAMP '2026-12-01 19:01:02.345 UTC'";
        Assert.Equal(sql
            .Replace("\"pg_bob_sales_order\" WHERE", "\"pg_bob_sales_order\"" + Clause + " WHERE", StringComparison.Ordinal)
            .Replace("JOIN pg_bob_sales_order AS", "JOIN pg_bob_sales_order" + Clause + " AS", StringComparison.Ordinal), rewritten);
        Assert.True(Emulator.CallsOf("GetTableMetadata") >= 2); // the orders table (once) and rpt_soi
    }

    [Fact]
    public async Task The_emulator_reads_the_snapshot_current_at_the_time_and_refuses_AS_OF_on_other_tables_and_before_the_first_snapshot()
    {
        Emulator.MakeIceberg("process_pg_bob", "pg_bob_sales_order");
        var first = DateTimeOffset.UtcNow;
        Emulator.CommitIcebergVersion("process_pg_bob", "pg_bob_sales_order", "SELECT * FROM read_parquet('{0}') WHERE order_id % 2 = 0");
        using var engine = AthenaTestKit.Engine(Emulator, Data);
        var planner = new QueryPlanner(engine);

        async Task<long> CountAsync(string from) =>
            long.Parse((await planner.TrialAsync($"SELECT COUNT(*) AS n FROM {from}", "process_pg_bob", 1, default)).Rows[0][0]!, System.Globalization.CultureInfo.InvariantCulture);
        var then = await CountAsync($"pg_bob_sales_order FOR TIMESTAMP AS OF {IcebergAsOf.Literal(first)}");
        var now = await CountAsync("process_pg_bob.pg_bob_sales_order");
        var hive = await planner.ExplainAsync($"SELECT * FROM rpt_soi FOR TIMESTAMP AS OF {IcebergAsOf.Literal(first)}", "process_pg_bob", default);
        var early = await planner.ExplainAsync("SELECT * FROM pg_bob_sales_order FOR TIMESTAMP AS OF TIMESTAMP '2001-01-01 00:00:00.000 UTC'", "process_pg_bob", default);

        Assert.True(then > now && now > 0, $"then {then}, now {now}");
        Assert.Contains("NOT_SUPPORTED: This connector does not support versioned tables: process_pg_bob.rpt_soi", hive.Error);
        Assert.Contains("No version history table process_pg_bob.pg_bob_sales_order at or before 2001-01-01", early.Error);
    }
}
