using System.Globalization;
using DuckDB.NET.Data;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.DemoLake;

/// <summary>What the generated demo lake holds: Athena's databases and tables, realistic sizes, and books that add up.</summary>
public class DemoLakeTests(DemoLakeFixture lake) : IClassFixture<DemoLakeFixture>
{
    private object? Scalar(string sql, string database = "process_central_fin_dwh")
    {
        using var con = LakeConnection.Open(lake.LakePath, database);
        using var cmd = con.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private long Count(string sql, string database = "process_central_fin_dwh") =>
        Convert.ToInt64(Scalar(sql, database), CultureInfo.InvariantCulture);

    [Fact]
    public void The_lake_has_one_folder_per_Athena_database_and_one_Parquet_file_per_table()
    {
        var databases = LakeConnection.Databases(lake.LakePath);
        Assert.Equal(["process_central_fin_dwh", "process_pg_bob"], databases.Keys);
        Assert.Equal(
            ["chart_of_accounts", "cust_ledger_entries", "customers", "dim_company", "dtld_cust_ledger_entries", "gl_balances", "gl_entries"],
            databases["process_central_fin_dwh"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["pg_bob_refund", "pg_bob_sales_order", "pg_bob_voucher", "pg_bob_voucher_template", "rpt_soi"],
            databases["process_pg_bob"].Keys.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(lake.LakePath, "process_central_fin_dwh", "gl_entries.parquet")));
    }

    [Fact]
    public void The_manifest_lists_every_file_with_rows_size_and_hash()
    {
        var manifest = lake.Manifest;
        Assert.Equal(LakeManifest.CurrentFingerprint, manifest.Fingerprint);
        Assert.Equal(12, manifest.Tables.Count);
        foreach (var t in manifest.Tables)
        {
            var file = Path.Combine(lake.LakePath, t.File);
            Assert.Equal(new FileInfo(file).Length, t.Bytes);
            Assert.Matches("^[0-9a-f]{64}$", t.Sha256);
            Assert.True(t.Rows > 0, t.File);
        }
    }

    [Fact]
    public void Sizes_are_realistic_a_year_of_GL_entries_and_hundreds_of_thousands_of_order_items()
    {
        Assert.InRange(Count("SELECT count(*) FROM gl_entries WHERE year(posting_date) = 2025"), 1_000_000, 1_500_000);
        Assert.Equal(0, Count("SELECT count(*) FROM gl_entries WHERE year(posting_date) <> 2025"));
        Assert.True(Count("SELECT count(*) FROM rpt_soi", "process_pg_bob") >= 300_000);
        Assert.InRange(Count("SELECT count(*) FROM pg_bob_sales_order", "process_pg_bob"), 100_000, 200_000);
        Assert.InRange(Count("SELECT count(*) FROM cust_ledger_entries"), 50_000, 200_000);
        Assert.InRange(Count("SELECT count(*) FROM pg_bob_voucher", "process_pg_bob"), 20_000, 100_000);
    }

    [Fact]
    public void Nine_companies_with_their_currencies()
    {
        using var con = LakeConnection.Open(lake.LakePath, "process_central_fin_dwh");
        using var cmd = con.CreateCommand();
        cmd.CommandText = "SELECT company_code || ' ' || currency_code FROM dim_company ORDER BY company_code";
        using var r = cmd.ExecuteReader();
        var companies = new List<string>();
        while (r.Read()) companies.Add(r.GetString(0));
        Assert.Equal(
            ["EC_IC XOF", "EC_KE KES", "EC_MA MAD", "EC_NG NGN", "HF_SN XOF", "JD_DZ DZD", "JD_GH GHS", "JD_UG UGX", "JM_EG EGP"],
            companies);
    }

    [Fact]
    public void GL_accounts_are_five_digit_strings_including_those_the_IPEs_name()
    {
        Assert.Equal(0, Count("SELECT count(*) FROM chart_of_accounts WHERE NOT regexp_matches(gl_account_no, '^[0-9]{5}$')"));
        foreach (var account in new[] { "13001", "13002", "13003", "13004", "13005", "13009", "13024", "18304", "18317", "18350", "18412" })
            Assert.True(Count($"SELECT count(*) FROM gl_entries WHERE gl_account_no = '{account}'") > 0, account);
        Assert.Equal("DECIMAL(18,2)", Scalar("SELECT typeof(amount) FROM gl_entries LIMIT 1"));
    }

    [Fact]
    public void Every_document_balances_and_the_month_balances_are_computed_from_the_entries()
    {
        Assert.Equal(0, Count("SELECT count(*) FROM (SELECT document_no FROM gl_entries GROUP BY document_no HAVING sum(amount) <> 0)"));
        Assert.Equal(0, Count("SELECT count(*) FROM (SELECT entry_no FROM gl_entries GROUP BY entry_no HAVING count(*) > 1)"));
        Assert.Equal(9 * 32 * 12, Count("SELECT count(*) FROM gl_balances"));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM gl_balances b
            LEFT JOIN (SELECT company_code, gl_account_no, sum(amount) AS total FROM gl_entries
                       WHERE posting_date <= DATE '2025-09-30' GROUP BY ALL) e USING (company_code, gl_account_no)
            WHERE b.fiscal_month = 9 AND b.closing_balance <> coalesce(e.total, 0)
            """));
        Assert.Equal(0, Count("SELECT count(*) FROM gl_balances WHERE closing_balance <> opening_balance + net_change OR net_change <> debit_amount - credit_amount"));
    }

    [Fact]
    public void Text_columns_hold_awkward_values_and_NULLs_where_they_make_sense()
    {
        Assert.True(Count("SELECT count(*) FROM customers WHERE customer_name LIKE '%\"%' AND customer_name LIKE '%,%'") > 0);
        Assert.True(Count("SELECT count(*) FROM customers WHERE customer_name LIKE '=%'") > 0);
        Assert.True(Count("SELECT count(*) FROM customers WHERE customer_name LIKE '-%'") > 0);
        Assert.True(Count("SELECT count(*) FROM customers WHERE regexp_matches(customer_name, '[^\\x00-\\x7F]')") > 0);
        Assert.True(Count("SELECT count(*) FROM gl_entries WHERE description LIKE '%\"%'") > 0);
        Assert.True(Count("SELECT count(*) FROM pg_bob_refund WHERE refund_reason LIKE '%' || chr(10) || '%'", "process_pg_bob") > 0);
        Assert.True(Count("SELECT count(*) FROM rpt_soi WHERE delivered_date IS NULL AND item_status IN ('cancelled', 'closed', 'shipped')", "process_pg_bob") > 0);
        Assert.Equal(0, Count("SELECT count(*) FROM rpt_soi WHERE delivered_date IS NOT NULL AND item_status IN ('cancelled', 'closed', 'shipped', 'pending')", "process_pg_bob"));
    }

    [Fact]
    public void Sales_order_totals_agree_with_their_items()
    {
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_sales_order o
            JOIN (SELECT id_sales_order, sum(paid_price + shipping_amount - shipping_discount) AS total FROM rpt_soi GROUP BY 1) i
              ON i.id_sales_order = o.order_id
            WHERE i.total <> o.total_amount
            """, "process_pg_bob"));
    }

    [Fact]
    public async Task A_complete_lake_is_not_generated_again()
    {
        using var data = new TempDataFolder(lake.LakePath);
        var before = File.GetLastWriteTimeUtc(Path.Combine(lake.LakePath, LakeManifest.FileName));
        await new DemoLakeGenerator(data.Folder).EnsureAsync(CancellationToken.None);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(lake.LakePath, LakeManifest.FileName)));
    }

    [Fact]
    public async Task A_lake_folder_that_is_not_ours_is_left_alone()
    {
        using var data = new TempDataFolder();
        Directory.CreateDirectory(Path.Combine(data.Folder.Lake, "my_db"));
        File.WriteAllText(Path.Combine(data.Folder.Lake, "my_db", "notes.txt"), "mine");
        await new DemoLakeGenerator(data.Folder).EnsureAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(data.Folder.Lake, LakeManifest.FileName)));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(data.Folder.Lake, "my_db", "notes.txt")));
    }

    [Fact]
    public async Task Generating_again_elsewhere_writes_byte_identical_files_and_leaves_no_scratch_folder()
    {
        using var data = new TempDataFolder();
        await new DemoLakeGenerator(data.Folder).EnsureAsync(CancellationToken.None);

        var again = LakeManifest.TryRead(data.Folder.Lake)!;
        Assert.Equal(
            lake.Manifest.Tables.Select(t => (t.File, t.Rows, t.Sha256)),
            again.Tables.Select(t => (t.File, t.Rows, t.Sha256)));
        Assert.Equal(["lake"], Directory.GetFileSystemEntries(data.Folder.Root).Select(Path.GetFileName));
    }
}
