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
    /// <summary>Athena-dialect SQL. Placeholders are <c>{{name}}</c>; <c>period_start</c>, <c>period_end</c>
    /// and <c>next_period_start</c> always exist, others must be declared in <see cref="Parameters"/>.</summary>
    public required string Sql { get; init; }
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];
    public CheckSettings Checks { get; init; } = new();
    /// <summary>Rough size of a month's result, so users can be told before a run that it is large.</summary>
    public long? TypicalRows { get; init; }
}

/// <summary>What the evidence checks need to know about an IPE's result.</summary>
public sealed record CheckSettings
{
    /// <summary>Columns that must never be NULL.</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];
    /// <summary>The column whose every value must lie inside the period (or up to its cutoff).</summary>
    public string? DateColumn { get; init; }
    public DateBound DateBound { get; init; } = DateBound.WithinPeriod;
    /// <summary>Columns that together identify a row (used by the duplicate-key check, later).</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    /// <summary>Money columns whose totals are control totals (later).</summary>
    public IReadOnlyList<string> AmountColumns { get; init; } = [];
    /// <summary>Independent queries whose results the extract must match (row count, sums; later issues).</summary>
    public IReadOnlyList<ControlTotalQuery> ControlTotalQueries { get; init; } = [];
    /// <summary>Known records that must be present, or absent, in the extract (later issues).</summary>
    public IReadOnlyList<WitnessRecord> WitnessRecords { get; init; } = [];
}

/// <summary>A second query with the same filters; <see cref="Compare"/> names the extract figure it must equal,
/// e.g. <c>row_count</c> or <c>sum(total_amount)</c>. Same placeholders as the IPE's SQL.</summary>
public sealed record ControlTotalQuery(string Name, string Sql, string Compare);

/// <summary>A record identified by key column values that the extract must contain (or must not).</summary>
public sealed record WitnessRecord(string Description, IReadOnlyDictionary<string, string> Key, bool MustBePresent = true);

public enum DateBound
{
    /// <summary>period_start &lt;= date &lt;= period_end.</summary>
    WithinPeriod,
    /// <summary>date &lt;= period_end (balances and open items at the cutoff).</summary>
    UpToCutoff,
}
