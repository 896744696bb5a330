using SoxAuto.Core.Catalog;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Runs an IPE's control queries for one run: on the run's engine, rendered with the run's typed
/// parameters. Runs provide it (they know the engine); the completeness and accuracy checks only await
/// its answers, so Checks never see an engine type.
/// </summary>
public interface IControlQueries
{
    /// <summary>The answer to <paramref name="query"/>, one of the IPE's control queries; the same
    /// answer however often it is asked. A query the engine refused or failed is an answer with
    /// <see cref="ControlAnswer.Error"/>, not an exception.</summary>
    Task<ControlAnswer> AnswerAsync(ControlTotalQuery query, CancellationToken ct);
}

/// <summary>A control query's result, small (one row per group), read whole.</summary>
/// <param name="Sql">The query exactly as sent to the engine (or, when it could not be rendered, as written).</param>
/// <param name="ExecutionId">The engine's execution id; null when the query never reached the engine.</param>
/// <param name="Duration">From the start of the query to its answer read.</param>
/// <param name="Error">Why there is no result: the engine's message; null when the query succeeded.</param>
public sealed record ControlAnswer(
    string Sql, string? ExecutionId, IReadOnlyList<ResultColumn> Columns, IReadOnlyList<string?[]> Rows, TimeSpan Duration, string? Error = null)
{
    /// <summary>More rows than this is not a control query's answer (one row per company and account).</summary>
    public const int MaxRows = 100_000;

    public static ControlAnswer Failed(string sql, string? executionId, TimeSpan duration, string error) =>
        new(sql, executionId, [], [], duration, error);
}
