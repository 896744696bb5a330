using System.Globalization;
using DuckDB.NET.Data;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Core.Periods;
using SoxAuto.Tests.Core.Engines;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Core.Engines.EngineTestKit;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>The shipped IPEs: well-formed definitions whose SQL runs on the demo lake for 2025-09, gives the
/// same bytes every time, and whose totals reconcile to the G/L balances (CR_04).</summary>
public class SeedCatalogTests : IClassFixture<DemoLakeFixture>, IDisposable
{
    private static readonly Period September = Period.Parse("2025-09", new DateOnly(2026, 1, 15));
    private readonly TempDataFolder _data = DemoLakeFixture.NewDataFolder();
    private readonly LocalEngine _engine;

    public SeedCatalogTests() => _engine = new LocalEngine(_data.Folder);

    public void Dispose()
    {
        _engine.Dispose();
        _data.Dispose();
    }

    public static TheoryData<string> Ids => new(SeedCatalog.All.Select(i => i.Id));

    private static IpeDefinition Ipe(string id) => SeedCatalog.All.Single(i => i.Id == id);

    private async Task<(string Id, EngineStatus Status)> RunAsync(string ipeId, Period? period = null, Dictionary<string, string>? supplied = null)
    {
        var ipe = Ipe(ipeId);
        var sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, period ?? September, supplied));
        return await EngineTestKit.RunAsync(_engine, sql, ipe.Database);
    }

    [Fact]
    public void The_catalog_holds_the_seven_IPEs_of_control_C_PG_1()
    {
        Assert.Equal(["IPE_07", "IPE_08", "IPE_09", "IPE_10", "IPE_34", "CR_03", "CR_04"], SeedCatalog.All.Select(i => i.Id));
        Assert.All(SeedCatalog.All, i => Assert.Equal("C-PG-1", i.Control));
        Assert.Equal("Web-shop sales orders up to the cutoff", Ipe("IPE_09").Title);
        Assert.Equal("process_pg_bob", Ipe("IPE_09").Database);
        Assert.Contains("FROM pg_bob_sales_order", Ipe("IPE_09").Sql);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_definition_is_complete_and_its_SQL_uses_only_declared_parameters_and_the_cutoff(string id)
    {
        var ipe = Ipe(id);
        Assert.False(string.IsNullOrWhiteSpace(ipe.Title));
        Assert.False(string.IsNullOrWhiteSpace(ipe.Description));
        Assert.False(string.IsNullOrWhiteSpace(ipe.Owner));
        Assert.Contains(ipe.Database, new[] { "process_central_fin_dwh", "process_pg_bob" });
        Assert.All(ipe.GlAccounts, a => Assert.Matches("^[0-9]{5}$", a));
        var declared = ParameterBinder.PeriodNames.Concat(ipe.Parameters.Select(p => p.Name)).ToHashSet();
        Assert.All(QueryRenderer.Placeholders(ipe.Sql), p => Assert.Contains(p, declared));
        Assert.Contains("{{period_end}}", ipe.Sql);
        foreach (var forbidden in new[] { "current_date", "current_timestamp", "now()", "localtimestamp" })
            Assert.DoesNotContain(forbidden, ipe.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ORDER BY", ipe.Sql); // a stable order gives a stable hash
        Assert.NotNull(ipe.Checks.DateColumn);
        Assert.NotEmpty(ipe.Checks.RequiredColumns);
        Assert.NotEmpty(ipe.Checks.KeyColumns);
        Assert.True(ipe.TypicalRows > 0);
    }

    [Fact]
    public void List_parameters_are_typed_with_patterns_and_default_to_the_IPEs_accounts_and_all_companies()
    {
        var cr03 = Ipe("CR_03");
        var accounts = cr03.Parameters.Single(p => p.Name == "gl_accounts");
        Assert.Equal(ParameterType.TextList, accounts.Type);
        Assert.Equal("^[0-9]{5}$", accounts.Pattern);
        Assert.Equal(string.Join(",", cr03.GlAccounts), accounts.Default);
        var companies = cr03.Parameters.Single(p => p.Name == "companies");
        Assert.Equal("^[A-Z]{2}_[A-Z]{2}$", companies.Pattern);
        Assert.Equal(9, companies.Default!.Split(',').Length);
        Assert.Throws<ParameterException>(() => ParameterBinder.Bind(cr03, September, new Dictionary<string, string> { ["gl_accounts"] = "13003') OR ('1'='1" }));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Each_IPE_returns_rows_for_2025_09_with_the_columns_its_checks_name(string id)
    {
        var ipe = Ipe(id);
        var (executionId, status) = await RunAsync(id);
        Assert.True(status.State == EngineState.Succeeded, $"{id}: {status.State}: {status.Reason}");

        await using var result = await _engine.OpenResultAsync(executionId, CancellationToken.None);
        var names = result.Columns.Select(c => c.Name).ToList();
        var expected = ipe.Checks.RequiredColumns.Concat(ipe.Checks.KeyColumns).Concat(ipe.Checks.AmountColumns).Append(ipe.Checks.DateColumn!);
        Assert.All(expected, c => Assert.Contains(c, names));
        Assert.All(ipe.Checks.AmountColumns, c => Assert.StartsWith("decimal(", result.Columns.Single(x => x.Name == c).Type));
        Assert.Equal("date", result.Columns.Single(x => x.Name == ipe.Checks.DateColumn).Type);

        var rows = await RowCountAsync(result.Csv);
        Assert.True(rows > 0, $"{id} returned no rows for 2025-09");
        Assert.InRange(rows, ipe.TypicalRows!.Value / 3, ipe.TypicalRows.Value * 3);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Running_an_IPE_twice_gives_byte_identical_CSV(string id)
    {
        var (first, a) = await RunAsync(id);
        var (second, b) = await RunAsync(id);
        Assert.Equal(EngineState.Succeeded, a.State);
        Assert.Equal(EngineState.Succeeded, b.State);
        Assert.NotEqual(first, second);
        Assert.Equal(Sha256(await CsvBytesAsync(_engine, first)), Sha256(await CsvBytesAsync(_engine, second)));
    }

    [Theory]
    [InlineData("IPE_07", "remaining_amount", "company_code", "gl_account_no", "13003,13004,13009", 1)]
    [InlineData("IPE_08", "remaining_amount", "company", null, "18412", -1)]
    [InlineData("IPE_10", "paid_price", "company", null, "18350", -1)]
    [InlineData("IPE_34", "liability_amount", "company", null, "18317", -1)]
    public async Task IPE_totals_reconcile_to_the_GL_balance_at_the_cutoff_per_company_and_account(
        string id, string amount, string company, string? account, string accounts, int sign)
    {
        var (ipeRun, ipeStatus) = await RunAsync(id);
        var (cr04Run, cr04Status) = await RunAsync("CR_04", supplied: new() { ["gl_accounts"] = accounts });
        Assert.Equal(EngineState.Succeeded, ipeStatus.State);
        Assert.Equal(EngineState.Succeeded, cr04Status.State);

        var accountExpr = account is null ? $"'{accounts}'" : account;
        var differences = Count($"""
            WITH ipe AS (
              SELECT "{company}" AS company_code, {accountExpr} AS gl_account_no, {sign} * sum(CAST("{amount}" AS DECIMAL(38, 2))) AS total
              FROM read_csv('{Result(ipeRun)}', header = true, all_varchar = true) GROUP BY ALL
            ), gl AS (
              SELECT company_code, gl_account_no, CAST(balance AS DECIMAL(38, 2)) AS balance
              FROM read_csv('{Result(cr04Run)}', header = true, all_varchar = true)
            )
            SELECT count(*) FROM gl FULL JOIN ipe USING (company_code, gl_account_no)
            WHERE coalesce(gl.balance, 0) <> coalesce(ipe.total, 0)
            """);
        Assert.Equal(0L, differences);
        Assert.True(Count($"SELECT count(*) FROM read_csv('{Result(cr04Run)}', header = true, all_varchar = true) WHERE CAST(balance AS DECIMAL(38, 2)) <> 0") > 0);
    }

    [Fact]
    public async Task CR_04_gives_the_balance_at_any_cutoff_not_only_month_ends()
    {
        var mid = Period.Parse("2025-09-15", new DateOnly(2026, 1, 15));
        var (run, status) = await RunAsync("CR_04", mid, new() { ["gl_accounts"] = "13003" });
        Assert.Equal(EngineState.Succeeded, status.State);
        var expected = Scalar($"""
            SELECT sum(amount) FROM read_parquet('{Lake("process_central_fin_dwh", "gl_entries")}')
            WHERE gl_account_no = '13003' AND posting_date <= DATE '2025-09-15'
            """);
        var reported = Scalar($"SELECT sum(CAST(balance AS DECIMAL(38, 2))) FROM read_csv('{Result(run)}', header = true, all_varchar = true)");
        Assert.Equal(expected, reported);
    }

    [Fact]
    public async Task CR_03_is_the_large_one_and_respects_its_parameters()
    {
        var (all, a) = await RunAsync("CR_03");
        var (one, b) = await RunAsync("CR_03", supplied: new() { ["gl_accounts"] = "18350", ["companies"] = "EC_NG" });
        Assert.Equal(EngineState.Succeeded, a.State);
        Assert.Equal(EngineState.Succeeded, b.State);
        Assert.True(Count($"SELECT count(*) FROM read_csv('{Result(all)}', header = true, all_varchar = true)") > 200_000);
        Assert.Equal(0L, Count($"""
            SELECT count(*) FROM read_csv('{Result(one)}', header = true, all_varchar = true)
            WHERE gl_account_no <> '18350' OR company_code <> 'EC_NG' OR posting_date < '2025-01-01' OR posting_date > '2025-09-30'
            """));
    }

    private string Result(string executionId) => Path.Combine(_data.Folder.EngineResults, executionId + ".csv");

    private static string Lake(string database, string table) => Path.Combine(DemoLakeFixture.SharedLakePath, database, table + ".parquet");

    private static object Scalar(string sql)
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()!;
    }

    private static long Count(string sql) => Convert.ToInt64(Scalar(sql), CultureInfo.InvariantCulture);

    private static async Task<long> RowCountAsync(Stream csv)
    {
        // Counting rows of a CSV that may hold quoted newlines: every row ends with "\n" outside quotes.
        var buffer = new byte[1 << 16];
        long rows = 0;
        var quoted = false;
        int n;
        while ((n = await csv.ReadAsync(buffer)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] == (byte)'"') quoted = !quoted;
                else if (buffer[i] == (byte)'\n' && !quoted) rows++;
            }
        }
        return rows - 1; // the header
    }
}
