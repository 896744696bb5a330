namespace SoxAuto.Core.Engines;

/// <summary>
/// Asks an engine about a query without making evidence: does it compile against the real tables
/// (EXPLAIN), and what are its first rows (a trial). Implemented by the local engine
/// (<see cref="Local.LocalPlanner"/>); the Athena engine will implement it with EXPLAIN and a LIMIT query.
/// </summary>
public interface IQueryPlanner
{
    /// <summary>Compiles the rendered query: syntax, tables, columns. Never throws for a bad query: the
    /// engine's message is in the result.</summary>
    Task<ExplainResult> ExplainAsync(string sql, string database, CancellationToken ct);

    /// <summary>Runs the rendered query for its first <paramref name="maxRows"/> rows. Nothing is stored.</summary>
    Task<TrialResult> TrialAsync(string sql, string database, int maxRows, CancellationToken ct);
}

/// <summary><see cref="Error"/> is null when the engine accepted the query; then <see cref="Columns"/> is the result's shape.</summary>
public sealed record ExplainResult(string? Error, IReadOnlyList<ResultColumn> Columns, string? Plan = null)
{
    public bool Ok => Error is null;
}

/// <summary>The first rows of a trial, as text (null for NULL), and whether more rows existed.</summary>
public sealed record TrialResult(IReadOnlyList<ResultColumn> Columns, IReadOnlyList<string?[]> Rows, bool Truncated);
