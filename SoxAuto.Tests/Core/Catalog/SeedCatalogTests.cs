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
/// same bytes every time, and whose totals agree with the G/L balances (CR_04) except for the planted differences.</summary>
public class SeedCatalogTests : IClassFixture<DemoLakeFixture>, IDisposable
{
    private static readonly Period September = SeedRunner.Month("2025-09");
    private readonly SeedRunner _seed = new();

    public void Dispose() => _seed.Dispose();

    public static TheoryData<string> Ids => new(SeedCatalog.All.Select(i => i.Id));

    private static IpeDefinition Ipe(string id) => SeedCatalog.All.Single(i => i.Id == id);

    private Task<(string Id, EngineStatus Status)> RunAsync(string ipeId, Period? period = null, Dictionary<string, string>? supplied = null) =>
        _seed.RunAsync(ipeId, period ?? September, supplied);

    [Fact]
    public void The_catalog_holds_the_eleven_IPEs_of_control_C_PG_1()
    {
        Assert.Equal(
            ["IPE_07", "IPE_08", "IPE_09", "IPE_10", "IPE_11", "IPE_12", "IPE_31", "IPE_34", "CR_03", "CR_04", "CR_05"],
            SeedCatalog.All.Select(i => i.Id));
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
        Assert.NotEmpty(ipe.Checks.AmountColumns);
        Assert.True(ipe.TypicalRows > 0);

        // Each control query is its own query over the sources with the IPE's placeholders, not the IPE wrapped.
        var control = Assert.Single(ipe.Checks.ControlTotalQueries);
        Assert.Equal(QueryRenderer.Placeholders(ipe.Sql).ToHashSet(), QueryRenderer.Placeholders(control.Sql).ToHashSet());
        Assert.DoesNotContain(ipe.Sql.Trim(), control.Sql);
        Assert.Contains("row_count", control.Sql);

        Assert.Contains(ipe.Checks.WitnessRecords, w => w.MustBePresent);
        Assert.Contains(ipe.Checks.WitnessRecords, w => !w.MustBePresent);
        Assert.All(ipe.Checks.WitnessRecords, w => Assert.Equal(ipe.Checks.KeyColumns.Order(), w.Key.Keys.Order()));

        if (ipe.Reconciliation is { } r)
        {
            Assert.True(r.GlAccountColumn is null != (r.GlAccount is null), $"{id}: exactly one of GlAccountColumn and GlAccount");
            Assert.True(r.GlAccount is null || ipe.GlAccounts.SequenceEqual([r.GlAccount]), $"{id}: its one account is its G/L account");
            Assert.Contains(r.AmountColumn, ipe.Checks.AmountColumns);
            Assert.Contains(r.CompanyColumn, ipe.Checks.RequiredColumns);
            Assert.True(r.GlAccountColumn is null || ipe.Checks.RequiredColumns.Contains(r.GlAccountColumn));
        }
    }

    [Fact]
    public void Every_IPE_with_G_L_accounts_except_the_G_L_reports_says_how_it_maps_to_the_G_L()
    {
        Assert.Equal(
            ["IPE_07", "IPE_08", "IPE_10", "IPE_11", "IPE_12", "IPE_31", "IPE_34"],
            SeedCatalog.All.Where(i => i.Reconciliation is not null).Select(i => i.Id));
        Assert.All(SeedCatalog.All.Where(i => i.Reconciliation is null), i => Assert.True(i.GlAccounts.Count == 0 || i.Id.StartsWith("CR_", StringComparison.Ordinal), i.Id));
        // Liabilities are credit balances: what an IPE lists as owed is minus the G/L balance.
        Assert.Equal(
            ["IPE_08", "IPE_10", "IPE_11", "IPE_34"],
            SeedCatalog.All.Where(i => i.Reconciliation?.Sign == GlSign.Opposite).Select(i => i.Id).Order(StringComparer.Ordinal));
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

        await using var result = await _seed.Engine.OpenResultAsync(executionId, CancellationToken.None);
        var names = result.Columns.Select(c => c.Name).ToList();
        var expected = ipe.Checks.RequiredColumns.Concat(ipe.Checks.KeyColumns).Concat(ipe.Checks.AmountColumns).Append(ipe.Checks.DateColumn!)
            .Concat(new[] { ipe.Reconciliation?.AmountColumn, ipe.Reconciliation?.CompanyColumn, ipe.Reconciliation?.GlAccountColumn }.OfType<string>());
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
        Assert.Equal(Sha256(await CsvBytesAsync(_seed.Engine, first)), Sha256(await CsvBytesAsync(_seed.Engine, second)));
    }

    [Fact]
    public async Task For_2025_09_every_supporting_IPE_agrees_with_CR_04_per_company_and_account_except_the_two_planted_differences()
    {
        var lines = await ReconcileAsync(September);

        // 7 IPEs, 11 accounts, 9 companies: every company x account line is compared, most of them non-zero.
        Assert.Equal(99, lines.Count);
        Assert.True(lines.Count(l => l.GlBalance != 0) > 90);
        Assert.Equal(
            [
                new ReconciliationLine("IPE_11", "JM_EG", "18304", 3_824_364.68m, -3_823_944.18m, 420.50m),
                new ReconciliationLine("IPE_12", "EC_KE", "13024", 327_110.00m, 577_110.00m, 250_000.00m),
            ],
            lines.Where(l => l.Difference != 0).OrderBy(l => l.Ipe, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2025-01")]
    [InlineData("2025-02")]
    [InlineData("2025-03")]
    [InlineData("2025-04")]
    [InlineData("2025-05")]
    [InlineData("2025-06")]
    [InlineData("2025-07")]
    [InlineData("2025-08")]
    [InlineData("2025-10")]
    [InlineData("2025-11")]
    [InlineData("2025-12")]
    public async Task At_every_other_month_end_of_2025_every_supporting_IPE_agrees_with_CR_04_exactly(string month)
    {
        var lines = await ReconcileAsync(SeedRunner.Month(month));
        Assert.DoesNotContain(lines, l => l.Difference != 0);
        Assert.True(lines.Count(l => l.GlBalance != 0) > 80);
    }

    [Fact]
    public async Task At_a_mid_month_cutoff_IPE_12_agrees_with_13005_and_13024_together()
    {
        // The split between the two accounts is the month-end reclassification; their sum agrees at any cutoff.
        var mid = SeedRunner.Month("2025-09-15");
        var lines = await ReconcileAsync(mid, "IPE_12");
        Assert.All(lines.GroupBy(l => l.Company), company => Assert.Equal(0m, company.Sum(l => l.Difference)));
        Assert.Contains(lines, l => l.Difference != 0);
    }

    /// <summary>One line of a reconciliation: the IPE's total as it lists it, the G/L balance, and the difference
    /// G/L balance - (IPE total with the mapping's sign): what the G/L holds that the IPE does not support.</summary>
    private sealed record ReconciliationLine(string Ipe, string Company, string GlAccount, decimal IpeTotal, decimal GlBalance, decimal Difference);

    /// <summary>Totals each supporting IPE per company and account by its reconciliation mapping, and sets it
    /// against CR_04 for the same cutoff.</summary>
    private async Task<List<ReconciliationLine>> ReconcileAsync(Period period, params string[] only)
    {
        var ipes = SeedCatalog.All.Where(i => i.Reconciliation is not null && (only.Length == 0 || only.Contains(i.Id))).ToList();
        var accounts = ipes.SelectMany(i => i.GlAccounts).ToList();
        var cr04 = await _seed.ResultAsync("CR_04", period, new Dictionary<string, string> { ["gl_accounts"] = string.Join(",", accounts) });
        var balances = SeedRunner.Rows(cr04, "company_code", "gl_account_no", "balance")
            .ToDictionary(r => (Company: r[0]!, Account: r[1]!), r => SeedRunner.Number(r[2]));

        var lines = new List<ReconciliationLine>();
        foreach (var ipe in ipes)
        {
            var map = ipe.Reconciliation!;
            var extract = await _seed.ResultAsync(ipe.Id, period);
            var totals = SeedRunner.Rows(extract, [map.CompanyColumn, map.GlAccountColumn ?? map.CompanyColumn, map.AmountColumn])
                .GroupBy(r => (Company: r[0]!, Account: map.GlAccount ?? r[1]!))
                .ToDictionary(g => g.Key, g => g.Sum(r => SeedRunner.Number(r[2])));
            Assert.All(totals.Keys, k => Assert.Contains(k.Account, ipe.GlAccounts));
            var sign = map.Sign == GlSign.Opposite ? -1 : 1;
            foreach (var ((company, account), balance) in balances.Where(b => ipe.GlAccounts.Contains(b.Key.Account)))
            {
                var total = totals.GetValueOrDefault((company, account));
                lines.Add(new(ipe.Id, company, account, total, balance, balance - sign * total));
            }
        }
        return lines;
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

    private string Result(string executionId) => _seed.ResultPath(executionId);

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
