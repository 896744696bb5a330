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
                + "days overdue and ageing bucket. Its totals per company and receivables account support the reconciliation to the "
                + "G/L balances (CR_04, same sign).",
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
                CompanyColumn = "company_code",
                CompanyParameter = "companies",
                GlAccountColumn = "gl_account_no",
                ControlTotalQueries = [Control("IPE_07", "Open entries counted and totalled from the ledger entries alone, per company and account")],
                WitnessRecords =
                [
                    Witness("Invoice SI-NG25-004195 of 1 September, paid only on 16 November: open at the cutoff although closed today",
                        true, ("company_code", "EC_NG"), ("entry_no", "165687")),
                    Witness("Invoice SI-GH25-003304, fully paid on the cutoff day (30 September): closed at the cutoff, the cutoff is inclusive",
                        false, ("company_code", "JD_GH"), ("entry_no", "149676")),
                ],
            },
            TypicalRows = 16_000,
            Reconciliation = new() { AmountColumn = "remaining_amount", CompanyColumn = "company_code", GlAccountColumn = "gl_account_no" },
        },
        new()
        {
            Id = "IPE_08",
            Title = "Store-credit voucher liabilities at the cutoff: issued, used, remaining",
            Description = "Vouchers issued on or before the cutoff and not expired at the cutoff that still have value left: "
                + "issued amount, amount used by orders placed up to the cutoff, and the remaining liability. "
                + "The remaining total per company supports the reconciliation to G/L account 18412 (a credit balance: opposite sign).",
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
                CompanyColumn = "company",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("IPE_08", "Vouchers with value left counted and totalled without the templates, per company")],
                WitnessRecords =
                [
                    Witness("Voucher JV0277A6E216 (EC_KE) issued on 15 September and first used on 22 October: its whole value is a liability at the cutoff",
                        true, ("voucher_code", "JV0277A6E216")),
                    Witness("Voucher JVAB6C86A02F (EC_KE) expiring unused on the cutoff day: expired, so no longer a liability (breakage)",
                        false, ("voucher_code", "JVAB6C86A02F")),
                ],
            },
            TypicalRows = 10_000,
            Reconciliation = new() { AmountColumn = "remaining_amount", CompanyColumn = "company", GlAccount = "18412", Sign = GlSign.Opposite },
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
                CompanyColumn = "company",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("IPE_09", "Orders counted and totalled from their order items, per company")],
                WitnessRecords =
                [
                    Witness("Order 300088752 (JM_EG) created on 30 September at 23:57:55, the period's last order", true, ("order_id", "10088752")),
                    Witness("Order 300088753 (JM_EG) created on 1 October at 00:01:03, the next period's first order", false, ("order_id", "10088753")),
                ],
            },
            TypicalRows = 10_000,
        },
        new()
        {
            Id = "IPE_10",
            Title = "Customer prepayments at the cutoff: paid, not yet delivered or refunded",
            Description = "Order items paid in advance (card, mobile money, bank transfer) on or before the cutoff that were "
                + "neither delivered nor refunded by the cutoff, with their status at the cutoff and later delivery or refund dates. "
                + "The total per company supports the reconciliation to G/L account 18350 (a credit balance: opposite sign).",
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
                CompanyColumn = "company",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("IPE_10", "Open prepaid items counted and totalled with refunds from the refund register, per company")],
                WitnessRecords =
                [
                    Witness("Item 50214526 (JM_EG) ordered and paid on 28 September, shipped on the 29th, delivered on 1 October: still a prepayment at the cutoff",
                        true, ("id_sales_order_item", "50214526")),
                    Witness("Item 50211925 (JM_EG) delivered on the cutoff day: the prepayment was released, the cutoff is inclusive",
                        false, ("id_sales_order_item", "50211925")),
                ],
            },
            TypicalRows = 4_500,
            Reconciliation = new() { AmountColumn = "paid_price", CompanyColumn = "company", GlAccount = "18350", Sign = GlSign.Opposite },
        },
        new()
        {
            Id = "IPE_11",
            Title = "Marketplace accrued revenue: seller transactions not yet on a paid account statement",
            Description = "Seller transactions up to the cutoff (item price credits, commissions, returns, adjustments) that are "
                + "not on an account statement paid by the cutoff: what the marketplace still owes its sellers, mostly the "
                + "month's transactions plus statements on hold. The total per company supports the reconciliation to G/L "
                + "account 18304 (a credit balance: opposite sign).",
            Control = ControlCustomerBalances,
            Owner = "Marketplace finance manager",
            GlAccounts = ["18304"],
            Database = WebShop,
            Sql = Sql("IPE_11"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company", "seller_id", "transaction_id", "transaction_date", "transaction_type", "status_at_cutoff", "amount"],
                DateColumn = "transaction_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["transaction_id"],
                AmountColumns = ["amount"],
                CompanyColumn = "company",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("IPE_11", "Transactions up to the cutoff less the statements paid by then, per company")],
                WitnessRecords =
                [
                    Witness("Item price credit of 1 August (EC_NG, seller 701372) on an August statement held for a claim and paid on 10 October: "
                        + "owed at the cutoff although not of the month", true, ("transaction_id", "40120058")),
                    Witness("The seller adjustment of 420.50 EGP (JM_EG) booked on 30 September at 23:41 and posted on 1 October, "
                        + "the planted difference below the threshold", true, ("transaction_id", "40155727")),
                    Witness("Item price credit of 31 August (EC_NG, seller 701489) on the August statement paid on 10 September", false, ("transaction_id", "40137220")),
                ],
            },
            TypicalRows = 19_000,
            Reconciliation = new() { AmountColumn = "amount", CompanyColumn = "company", GlAccount = "18304", Sign = GlSign.Opposite },
        },
        new()
        {
            Id = "IPE_12",
            Title = "Delivered packages, cash not reconciled",
            Description = "Cash-on-delivery packages delivered on or before the cutoff whose cash the collection partner had not "
                + "reported by the cutoff, with the cash to collect from the delivered order items. Packages delivered in an "
                + "earlier month than the cutoff's are on G/L account 13024 (reclassified at month-end), the others on 13005; "
                + "the totals per company and account support the reconciliation to those accounts (same sign). The split "
                + "between them matches the G/L at month-ends, when the reclassification is posted.",
            Control = ControlCustomerBalances,
            Owner = "Logistics finance manager",
            GlAccounts = ["13005", "13024"],
            Database = WebShop,
            Sql = Sql("IPE_12"),
            Parameters = [CompaniesParameter, GlAccountsParameter("13005,13024")],
            Checks = new()
            {
                RequiredColumns = ["company", "package_id", "order_nr", "partner_id", "delivered_date", "gl_account_no", "rec_status", "cod_amount"],
                DateColumn = "delivered_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["package_id"],
                AmountColumns = ["cod_amount"],
                CompanyColumn = "company",
                CompanyParameter = "companies",
                GlAccountColumn = "gl_account_no",
                ControlTotalQueries = [Control("IPE_12", "Unreconciled packages counted and totalled from the cash rec's package amounts, per company and account")],
                WitnessRecords =
                [
                    Witness("Package PK300073382 (EC_KE) delivered on 22 August, cash reconciled only on 22 October: on 13024 at the cutoff",
                        true, ("package_id", "PK300073382")),
                    Witness("Package PK300085232 (EC_KE) delivered on the cutoff day, cash reported on 2 October: on 13005",
                        true, ("package_id", "PK300085232")),
                    Witness("Package PK300084326 (EC_KE) delivered on 28 September, cash reconciled on the cutoff day", false, ("package_id", "PK300084326")),
                ],
            },
            TypicalRows = 750,
            Reconciliation = new() { AmountColumn = "cod_amount", CompanyColumn = "company", GlAccountColumn = "gl_account_no" },
        },
        new()
        {
            Id = "IPE_31",
            Title = "Collection-partner balances in transit: cash collected, not yet banked",
            Description = "Cash-on-delivery cash collected by the partners' agents on or before the cutoff that the bank had not "
                + "confirmed by the cutoff, per cash-rec transaction with its packlist and deposit: not yet deposited (G/L "
                + "13001, cash in transit) or deposited but not yet on the bank statement (13002, deposits in transit). The "
                + "totals per company and account support the reconciliation to those accounts (same sign).",
            Control = ControlCustomerBalances,
            Owner = "Treasury manager",
            GlAccounts = ["13001", "13002"],
            Database = WebShop,
            Sql = Sql("IPE_31"),
            Parameters = [CompaniesParameter, GlAccountsParameter("13001,13002")],
            Checks = new()
            {
                RequiredColumns = ["company", "partner_id", "cashrec_id", "package_id", "collected_date", "packlist_id", "status_at_cutoff", "gl_account_no", "amount"],
                DateColumn = "collected_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["cashrec_id"],
                AmountColumns = ["amount"],
                CompanyColumn = "company",
                CompanyParameter = "companies",
                GlAccountColumn = "gl_account_no",
                ControlTotalQueries = [Control("IPE_31", "Cash in transit counted and totalled from the packlists and deposits, per company and account")],
                WitnessRecords =
                [
                    Witness("Cash collected on the cutoff day (JD_UG), deposited on 1 October: cash in transit (13001)", true, ("cashrec_id", "7040707")),
                    Witness("Cash collected on 29 September (JD_UG), deposited on the cutoff day, confirmed by the bank on 1 October: "
                        + "deposit in transit (13002)", true, ("cashrec_id", "7040553")),
                    Witness("Cash collected on 27 September (JD_UG) whose deposit the bank confirmed on the cutoff day: banked", false, ("cashrec_id", "7040236")),
                ],
            },
            TypicalRows = 350,
            Reconciliation = new() { AmountColumn = "amount", CompanyColumn = "company", GlAccountColumn = "gl_account_no" },
        },
        new()
        {
            Id = "IPE_34",
            Title = "Marketplace refund liability: refunded not returned, returned not refunded",
            Description = "Delivered marketplace items with a return in progress at the cutoff: returned by the cutoff but not "
                + "yet refunded (a liability to the customer, positive) or refunded by the cutoff but not yet returned "
                + "(negative). The liability total per company supports the reconciliation to G/L account 18317 (opposite sign).",
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
                CompanyColumn = "company",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("IPE_34", "Returned-not-refunded and refunded-not-returned items counted and totalled separately, per company")],
                WitnessRecords =
                [
                    Witness("Item 50196777 (EC_IC) returned on 23 September, refunded on 12 October: the customer is owed the refund at the cutoff",
                        true, ("id_sales_order_item", "50196777")),
                    Witness("Item 50182362 (EC_NG) returned on 11 September and refunded on the cutoff day: settled, no liability left",
                        false, ("id_sales_order_item", "50182362")),
                ],
            },
            TypicalRows = 400,
            Reconciliation = new() { AmountColumn = "liability_amount", CompanyColumn = "company", GlAccount = "18317", Sign = GlSign.Opposite },
        },
        new()
        {
            Id = "CR_03",
            Title = "G/L entries of the year to the cutoff for selected accounts",
            Description = "Every G/L entry posted from 1 January of the cutoff's year up to and including the cutoff on the "
                + "selected accounts and companies, with document, description, amount, source and user. The default accounts "
                + "are those the C-PG-1 reports support, so a reconciliation difference can be traced to its entries.",
            Control = ControlCustomerBalances,
            Owner = "General ledger accountant",
            GlAccounts = ["13001", "13002", "13003", "13004", "13005", "13009", "13024", "18304", "18317", "18350", "18412"],
            Database = FinanceDwh,
            Sql = Sql("CR_03"),
            Parameters = [GlAccountsParameter("13001,13002,13003,13004,13005,13009,13024,18304,18317,18350,18412"), CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company_code", "gl_account_no", "entry_no", "posting_date", "document_no", "amount"],
                DateColumn = "posting_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["entry_no"],
                AmountColumns = ["amount", "debit_amount", "credit_amount"],
                CompanyColumn = "company_code",
                CompanyParameter = "companies",
                GlAccountColumn = "gl_account_no",
                ControlTotalQueries = [Control("CR_03", "Entries counted and totalled without the chart of accounts, per company and account")],
                WitnessRecords =
                [
                    Witness("The 13024 line of manual journal MJ-KE-2025-09-017 (EC_KE, 30 September), the entry behind the planted difference",
                        true, ("entry_no", "1869417")),
                    Witness("The 61100 line of the same journal: an account that is not selected", false, ("entry_no", "1869418")),
                    Witness("Its reversal MJ-KE-2025-10-001 on 13024, posted on 1 October, after the cutoff", false, ("entry_no", "1873085")),
                ],
            },
            TypicalRows = 350_000,
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
                CompanyColumn = "company_code",
                CompanyParameter = "companies",
                GlAccountColumn = "gl_account_no",
                ControlTotalQueries = [Control("CR_04", "Balances as the sum of all G/L entries up to the cutoff, per company and account")],
                WitnessRecords =
                [
                    Witness("EC_KE 13024, the balance with the planted difference in 2025-09", true, ("company_code", "EC_KE"), ("gl_account_no", "13024")) with { Period = null },
                    Witness("EC_KE 61100, an income-statement account: never a balance-sheet line", false, ("company_code", "EC_KE"), ("gl_account_no", "61100")) with { Period = null },
                ],
            },
            TypicalRows = 171,
        },
        new()
        {
            Id = "CR_05",
            Title = "Month-end FX closing rates to USD",
            Description = "Per company, the closing exchange rate of its currency to USD at the cutoff (local currency per 1 USD), "
                + "from the treasury's daily rates: the rate of the cutoff day, or of the last business day before it. "
                + "A local amount divided by the rate is its USD equivalent, e.g. for a reconciliation difference.",
            Control = ControlCustomerBalances,
            Owner = "Treasury manager",
            Database = FinanceDwh,
            Sql = Sql("CR_05"),
            Parameters = [CompaniesParameter],
            Checks = new()
            {
                RequiredColumns = ["company_code", "currency_code", "base_currency", "rate_date", "closing_rate"],
                DateColumn = "rate_date",
                DateBound = DateBound.UpToCutoff,
                KeyColumns = ["company_code", "rate_date"],
                AmountColumns = ["closing_rate"],
                CompanyColumn = "company_code",
                CompanyParameter = "companies",
                ControlTotalQueries = [Control("CR_05", "Each currency's latest rate up to the cutoff taken with max_by, per company")],
                WitnessRecords =
                [
                    Witness("EC_NG's rate of 30 September, the cutoff day (a Tuesday)", true, ("company_code", "EC_NG"), ("rate_date", "2025-09-30")),
                    Witness("EC_NG's rate of 29 September: the day before the cutoff is not the closing rate", false, ("company_code", "EC_NG"), ("rate_date", "2025-09-29")),
                ],
            },
            TypicalRows = 9,
        },
    ];

    /// <summary>The period the seed's witness records were chosen for (from the demo lake's data).</summary>
    private const string WitnessPeriod = "2025-09";

    private static ControlTotalQuery Control(string id, string name) => new(name, Sql($"{id}.control"));

    private static WitnessRecord Witness(string description, bool mustBePresent, params (string Column, string Value)[] key) =>
        new(description, key.ToDictionary(k => k.Column, k => k.Value), mustBePresent, WitnessPeriod);

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
