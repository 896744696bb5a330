namespace SoxAuto.Core.Catalog;

/// <summary>
/// The content of one IPE version: what it is, which control relies on it, and its approved SQL.
/// Immutable once saved; a change makes a new <see cref="IpeVersion"/>.
/// </summary>
public sealed record IpeDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Control { get; init; }
    public string Owner { get; init; } = "";
    public IReadOnlyList<string> GlAccounts { get; init; } = [];
    /// <summary>The Athena database (Glue catalog) the SQL reads; on the local engine, the DuckDB schema.</summary>
    public required string Database { get; init; }
    /// <summary>Where Athena writes this IPE's results (s3://bucket/prefix/), used instead of
    /// SoxAuto:Athena:OutputLocation; null means the global one. Kept from the earlier tool's
    /// <c>athena_s3_output</c> on import. The local engine has no results location and ignores it.</summary>
    public string? OutputLocation { get; init; }
    /// <summary>Athena-dialect SQL. Placeholders are <c>{{name}}</c>; <c>period_start</c>, <c>period_end</c>
    /// and <c>next_period_start</c> always exist, others must be declared in <see cref="Parameters"/>.</summary>
    public required string Sql { get; init; }
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];
    public CheckSettings Checks { get; init; } = new();
    /// <summary>Rough size of a month's result, so users can be told before a run that it is large.</summary>
    public long? TypicalRows { get; init; }
    /// <summary>How the rows add up to G/L balances, for reconciling the control to CR_04; null when the
    /// IPE supports no G/L account (and in versions saved before this existed).</summary>
    public GlReconciliation? Reconciliation { get; init; }
}

/// <summary>
/// How an IPE's rows map to the G/L: the extract's <see cref="AmountColumn"/> totalled per
/// <see cref="CompanyColumn"/> and G/L account (from <see cref="GlAccountColumn"/>, or the one
/// <see cref="GlAccount"/> when the IPE has no account column), with <see cref="Sign"/> applied, is the
/// account's balance in CR_04 at the cutoff, in the company's currency. Exactly one of
/// <see cref="GlAccountColumn"/> and <see cref="GlAccount"/> is set.
/// </summary>
public sealed record GlReconciliation
{
    public required string AmountColumn { get; init; }
    public required string CompanyColumn { get; init; }
    /// <summary>The extract column holding each row's 5-digit G/L account, when the IPE spans several.</summary>
    public string? GlAccountColumn { get; init; }
    /// <summary>The account every row belongs to, when the IPE has no account column.</summary>
    public string? GlAccount { get; init; }
    public GlSign Sign { get; init; } = GlSign.Same;
}

/// <summary>The sign of an IPE total relative to the G/L balance it supports. The G/L keeps debits positive and
/// credits negative; an IPE lists what is owed to or by the company as positive amounts.</summary>
public enum GlSign
{
    /// <summary>IPE total = G/L balance (assets: receivables, cash in transit).</summary>
    Same,
    /// <summary>IPE total = minus the G/L balance (liabilities, whose balances are credits).</summary>
    Opposite,
}

/// <summary>What the evidence checks need to know about an IPE's result.</summary>
public sealed record CheckSettings
{
    /// <summary>Columns that must never be NULL.</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];
    /// <summary>The column whose every value must lie inside the period (or up to its cutoff).</summary>
    public string? DateColumn { get; init; }
    public DateBound DateBound { get; init; } = DateBound.WithinPeriod;
    /// <summary>Columns that together identify a row: no two rows may share their values (the duplicate-key check).</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    /// <summary>Money columns whose totals must equal the control query's, to the cent (the accuracy checks).</summary>
    public IReadOnlyList<string> AmountColumns { get; init; } = [];
    /// <summary>The column holding each row's company code: totals are compared per company, and every
    /// row's company must be one of <see cref="CompanyParameter"/>'s values.</summary>
    public string? CompanyColumn { get; init; }
    /// <summary>The list parameter that selects the companies (e.g. <c>companies</c>).</summary>
    public string? CompanyParameter { get; init; }
    /// <summary>The column holding each row's G/L account, where the IPE has one: totals are compared per account too.</summary>
    public string? GlAccountColumn { get; init; }
    /// <summary>Independent queries whose row counts and totals the extract must equal (the completeness and accuracy checks).</summary>
    public IReadOnlyList<ControlTotalQuery> ControlTotalQueries { get; init; } = [];
    /// <summary>Known records that must be present, or absent, in the extract (the witness check).</summary>
    public IReadOnlyList<WitnessRecord> WitnessRecords { get; init; } = [];
}

/// <summary>
/// An independent query over the IPE's source tables, with the same placeholders and filters as the IPE's SQL
/// but not built on it, whose figures the extract must equal. It returns one row per group: zero or more
/// grouping columns named exactly like extract columns (<see cref="CheckSettings.CompanyColumn"/> and, where the
/// IPE has one, <see cref="CheckSettings.GlAccountColumn"/>), then <c>row_count</c> (the number of extract rows in the group), then one column per amount
/// column, named like it, holding its total. A group absent from one side counts as zero rows and zero totals.
/// </summary>
public sealed record ControlTotalQuery(string Name, string Sql);

/// <summary>A record identified by key column values that the extract must contain (or must not).
/// <see cref="Period"/> (e.g. <c>2025-09</c>) is the period it was chosen for; null means every period.</summary>
public sealed record WitnessRecord(string Description, IReadOnlyDictionary<string, string> Key, bool MustBePresent = true, string? Period = null);

public enum DateBound
{
    /// <summary>period_start &lt;= date &lt;= period_end.</summary>
    WithinPeriod,
    /// <summary>date &lt;= period_end (balances and open items at the cutoff).</summary>
    UpToCutoff,
}
