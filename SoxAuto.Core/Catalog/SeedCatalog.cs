using System.Text;

namespace SoxAuto.Core.Catalog;

/// <summary>The IPEs SoxAuto ships with (version 1 of each). SQL lives beside this file in Seed/*.sql,
/// in Athena's (Trino) dialect; it runs unchanged on Athena and, through the local engine's macros, on DuckDB.</summary>
public static class SeedCatalog
{
    public const string FinanceDwh = "process_central_fin_dwh";
    public const string WebShop = "process_pg_bob";
    public const string ControlCustomerBalances = "C-PG-1";

    public static IReadOnlyList<string> Companies { get; } =
        ["EC_NG", "JD_GH", "EC_IC", "HF_SN", "EC_KE", "JD_UG", "JD_DZ", "JM_EG", "EC_MA"];

    /// <summary>Balance-sheet accounts of the chart; CR_04 reports all of them unless told otherwise.</summary>
    public static IReadOnlyList<string> BalanceSheetAccounts { get; } =
    [
        "12100", "12110", "13001", "13002", "13003", "13004", "13005", "13009", "13024", "15000", "16100",
        "18304", "18317", "18350", "18412", "18500", "18600", "18700", "19100",
    ];

    // Declared before All: static initializers run in order.
    private static ParameterDefinition CompaniesParameter { get; } = new(
        "companies", ParameterType.TextList, Required: true, Pattern: "^[A-Z]{2}_[A-Z]{2}$",
        Default: string.Join(",", Companies), Description: "Company codes (entities), e.g. EC_NG; all nine by default.");

    public static IReadOnlyList<IpeDefinition> All { get; } =
    [
        new()
        {
            Id = "IPE_07",
            Title = "Customer balances at the cutoff, by ledger entry, with ageing",
            Description = "Every customer ledger entry posted on or before the cutoff that is still open at the cutoff, "
                + "with its remaining amount at the cutoff (from the detailed ledger entries posted by then), its due date, "
                + "days overdue and ageing bucket. Totals per company and receivables account reconcile to the G/L balance (CR_04).",
            Control = ControlCustomerBalances,
            Owner = "Accounts Receivable lead",
            GlAccounts = ["13003", "13004", "13009"],
            Database = FinanceDwh,
            Sql = Sql("IPE_07"),
            Parameters = [CompaniesParameter, GlAccountsParameter("13003,13004,13009")],
            Checks = new()
            {
                RequiredColumns = ["company_code", "customer_no", "entry_no", "posting_date", "gl_account_no", "remaining_amount"],
                DateColumn = "posting_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["company_code", "entry_no"],
                AmountColumns = ["remaining_amount", "original_amount"],
            },
            TypicalRows = 16_000,
        },
        new()
        {
            Id = "IPE_08",
            Title = "Store-credit voucher liabilities at the cutoff: issued, used, remaining",
            Description = "Vouchers issued on or before the cutoff and not expired at the cutoff that still have value left: "
                + "issued amount, amount used by orders placed up to the cutoff, and the remaining liability. "
                + "The remaining total per company reconciles to G/L account 18412 (a credit balance).",
            Control = ControlCustomerBalances,
            Owner = "Head of Revenue Accounting",
            GlAccounts = ["18412"],
            Database = WebShop,
            Sql = Sql("IPE_08"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company", "voucher_code", "issued_date", "expiry_date", "issued_amount", "remaining_amount"],
                DateColumn = "issued_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["voucher_code"],
                AmountColumns = ["remaining_amount", "issued_amount", "used_amount"],
            },
            TypicalRows = 10_000,
        },
        new()
        {
            Id = "IPE_09",
            Title = "Web-shop sales orders up to the cutoff",
            Description = "Web-shop sales orders placed from the first day of the period up to and including the cutoff, "
                + "from process_pg_bob.pg_bob_sales_order: order date, order id, customer, total amount and the order's status "
                + "in the back office when the data was extracted.",
            Control = ControlCustomerBalances,
            Owner = "E-commerce finance manager",
            Database = WebShop,
            Sql = Sql("IPE_09"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company", "order_id", "order_nr", "customer_id", "order_date", "order_status", "total_amount"],
                DateColumn = "order_date",
                DateBound = DateBound.WithinPeriod,
                KeyColumns = ["order_id"],
                AmountColumns = ["total_amount"],
            },
            TypicalRows = 10_000,
        },
        new()
        {
            Id = "IPE_10",
            Title = "Customer prepayments at the cutoff: paid, not yet delivered or refunded",
            Description = "Order items paid in advance (card, mobile money, bank transfer) on or before the cutoff that were "
                + "neither delivered nor refunded by the cutoff, with their status at the cutoff and later delivery or refund dates. "
                + "The total per company reconciles to G/L account 18350 (a credit balance).",
            Control = ControlCustomerBalances,
            Owner = "Head of Revenue Accounting",
            GlAccounts = ["18350"],
            Database = WebShop,
            Sql = Sql("IPE_10"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company", "order_nr", "id_sales_order_item", "order_date", "status_at_cutoff", "paid_price"],
                DateColumn = "order_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["id_sales_order_item"],
                AmountColumns = ["paid_price"],
            },
            TypicalRows = 4_500,
        },
        new()
        {
            Id = "IPE_34",
            Title = "Marketplace refund liability: refunded not returned, returned not refunded",
            Description = "Delivered marketplace items with a return in progress at the cutoff: returned by the cutoff but not "
                + "yet refunded (a liability to the customer, positive) or refunded by the cutoff but not yet returned "
                + "(negative). The liability total per company reconciles to G/L account 18317 (opposite sign).",
            Control = ControlCustomerBalances,
            Owner = "Marketplace finance manager",
            GlAccounts = ["18317"],
            Database = WebShop,
            Sql = Sql("IPE_34"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company", "order_nr", "id_sales_order_item", "delivered_date", "liability_type", "liability_amount"],
                DateColumn = "delivered_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["id_sales_order_item"],
                AmountColumns = ["liability_amount", "refund_amount"],
            },
            TypicalRows = 400,
        },
        new()
        {
            Id = "CR_03",
            Title = "G/L entries of the year to the cutoff for selected accounts",
            Description = "Every G/L entry posted from 1 January of the cutoff's year up to and including the cutoff on the "
                + "selected accounts and companies, with document, description, amount, source and user. The default accounts "
                + "are the customer-side balance sheet accounts the C-PG-1 reports reconcile.",
            Control = ControlCustomerBalances,
            Owner = "General ledger accountant",
            GlAccounts = ["13003", "13004", "13005", "13009", "18317", "18350", "18412"],
            Database = FinanceDwh,
            Sql = Sql("CR_03"),
            Parameters = [GlAccountsParameter("13003,13004,13005,13009,18317,18350,18412"), CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company_code", "gl_account_no", "entry_no", "posting_date", "document_no", "amount"],
                DateColumn = "posting_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["entry_no"],
                AmountColumns = ["amount", "debit_amount", "credit_amount"],
            },
            TypicalRows = 280_000,
        },
        new()
        {
            Id = "CR_04",
            Title = "G/L balances at the cutoff by company and group account (the actuals)",
            Description = "The balance of each selected balance-sheet account per company at the cutoff, with its group account: "
                + "the previous month-end's closing balance from the balance view plus the entries of the cutoff's month up to "
                + "the cutoff. The reference the IPE totals are reconciled against.",
            Control = ControlCustomerBalances,
            Owner = "Group reporting manager",
            GlAccounts = BalanceSheetAccounts,
            Database = FinanceDwh,
            Sql = Sql("CR_04"),
            Parameters = [GlAccountsParameter(string.Join(",", BalanceSheetAccounts)), CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company_code", "currency_code", "group_account_no", "gl_account_no", "balance_date", "balance"],
                DateColumn = "balance_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["company_code", "gl_account_no"],
                AmountColumns = ["balance"],
            },
            TypicalRows = 171,
        },
    ];

    private static ParameterDefinition GlAccountsParameter(string defaults) => new(
        "gl_accounts", ParameterType.TextList, Required: true, Pattern: "^[0-9]{5}$",
        Default: defaults, Description: "G/L account numbers (5 digits).");

    /// <summary>The SQL of a seed IPE, from the embedded Seed/&lt;id&gt;.sql.</summary>
    public static string Sql(string id)
    {
        var name = $"SoxAuto.Core.Catalog.Seed.{id}.sql";
        using var stream = typeof(SeedCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The seed SQL {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n").TrimEnd() + "\n";
    }
}
