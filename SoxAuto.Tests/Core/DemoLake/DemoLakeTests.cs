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
            ["chart_of_accounts", "cust_ledger_entries", "customers", "dim_company", "dtld_cust_ledger_entries", "fx_rates", "gl_balances", "gl_entries"],
            databases["process_central_fin_dwh"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "pg_bob_account_statement", "pg_bob_cashrec_transaction", "pg_bob_deposit", "pg_bob_logistics_partner", "pg_bob_package_cash_rec",
                "pg_bob_packlist", "pg_bob_refund", "pg_bob_sales_order", "pg_bob_seller", "pg_bob_seller_transaction", "pg_bob_voucher",
                "pg_bob_voucher_template", "rpt_soi",
            ],
            databases["process_pg_bob"].Keys.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(lake.LakePath, "process_central_fin_dwh", "gl_entries.parquet")));
    }

    [Fact]
    public void The_manifest_lists_every_file_with_rows_size_and_hash()
    {
        var manifest = lake.Manifest;
        Assert.Equal(LakeManifest.CurrentFingerprint, manifest.Fingerprint);
        Assert.Equal(21, manifest.Tables.Count);
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
    public void Sub_ledger_headers_agree_with_their_lines()
    {
        const string pgBob = "process_pg_bob";
        // Account statements: their transaction count and total are those of the transactions on them.
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_account_statement a
            LEFT JOIN (SELECT account_statement_id, count(*) AS n, sum(amount) AS total FROM pg_bob_seller_transaction GROUP BY 1) t USING (account_statement_id)
            WHERE t.n IS DISTINCT FROM a.transaction_count OR t.total IS DISTINCT FROM a.total_amount
            """, pgBob));
        // Every transaction of a month with a statement is on its seller's statement of that month.
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_seller_transaction t
            LEFT JOIN pg_bob_account_statement a USING (account_statement_id)
            WHERE (t.transaction_date < DATE '2026-01-01') <> (a.account_statement_id IS NOT NULL)
               OR a.seller_id <> t.seller_id OR t.transaction_date NOT BETWEEN a.period_start AND a.period_end
            """, pgBob));
        // A package's cash is what its delivered cash-on-delivery items cost; packlists and deposits add up.
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_package_cash_rec p
            JOIN (SELECT id_sales_order, sum(paid_price + shipping_amount - shipping_discount) AS cash FROM rpt_soi
                  WHERE payment_method = 'CashOnDelivery' AND delivered_date IS NOT NULL GROUP BY 1) i USING (id_sales_order)
            WHERE i.cash <> p.cod_amount
            """, pgBob));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_packlist p
            LEFT JOIN (SELECT packlist_id, count(*) AS n, sum(amount) AS total FROM pg_bob_cashrec_transaction GROUP BY 1) t USING (packlist_id)
            WHERE t.n IS DISTINCT FROM p.transaction_count OR t.total IS DISTINCT FROM p.amount
            """, pgBob));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_deposit d
            LEFT JOIN (SELECT deposit_id, count(*) AS n, sum(amount) AS total FROM pg_bob_packlist GROUP BY 1) p USING (deposit_id)
            WHERE p.n IS DISTINCT FROM d.packlist_count OR p.total IS DISTINCT FROM d.amount
            """, pgBob));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM pg_bob_package_cash_rec p LEFT JOIN pg_bob_cashrec_transaction t USING (cashrec_id)
            WHERE (p.reconciled_date IS NULL) <> (t.cashrec_id IS NULL) OR t.collected_date <> p.reconciled_date OR t.amount <> p.cod_amount
            """, pgBob));
    }

    [Fact]
    public void FX_rates_exist_for_each_currency_on_every_business_day_and_never_on_a_weekend()
    {
        Assert.Equal(8, Count("SELECT count(DISTINCT currency_code) FROM fx_rates"));
        Assert.Equal(0, Count("SELECT count(*) FROM fx_rates WHERE isodow(rate_date) > 5 OR base_currency <> 'USD' OR exchange_rate <= 0"));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM range(0, 365) t(d)
            CROSS JOIN (SELECT DISTINCT currency_code FROM dim_company) c
            LEFT JOIN fx_rates r ON r.currency_code = c.currency_code AND r.rate_date = DATE '2025-01-01' + CAST(d AS INTEGER)
            WHERE isodow(DATE '2025-01-01' + CAST(d AS INTEGER)) <= 5 AND r.rate_date IS NULL
            """));
    }

    [Fact]
    public void The_planted_postings_are_where_docs_demo_lake_md_says()
    {
        // Manual journal on 13024 with no package behind it, reversed on 1 October.
        Assert.Equal("1869417 13024 2025-09-30 250000.00 CORP\\W.NJOROGE|1869418 61100 2025-09-30 -250000.00 CORP\\W.NJOROGE|"
            + "1873085 13024 2025-10-01 -250000.00 NAV-SERVICE|1873086 61100 2025-10-01 250000.00 NAV-SERVICE",
            Scalar("""
                SELECT string_agg(entry_no || ' ' || gl_account_no || ' ' || posting_date || ' ' || amount || ' ' || user_id, '|' ORDER BY entry_no)
                FROM gl_entries WHERE company_code = 'EC_KE' AND document_no IN ('MJ-KE-2025-09-017', 'MJ-KE-2025-10-001')
                """));
        // The seller adjustment booked at 23:41 on 30 September and posted on 1 October.
        Assert.Equal("40155727 708042 2025-09-30 23:41:07 420.50 3035294", Scalar("""
            SELECT transaction_id || ' ' || seller_id || ' ' || strftime(created_at, '%Y-%m-%d %H:%M:%S') || ' ' || amount || ' ' || account_statement_id
            FROM pg_bob_seller_transaction WHERE transaction_type = 'Seller Adjustment' AND hour(created_at) >= 23
            """, "process_pg_bob"));
        Assert.Equal("1875729 18304 2025-10-01 -420.50", Scalar("""
            SELECT entry_no || ' ' || gl_account_no || ' ' || posting_date || ' ' || amount FROM gl_entries
            WHERE document_no = 'SADJ-40155727' AND gl_account_no = '18304'
            """));
        Assert.Equal(1, Count("SELECT count(*) FROM pg_bob_seller_transaction WHERE hour(created_at) >= 23 AND transaction_type = 'Seller Adjustment'", "process_pg_bob"));
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
