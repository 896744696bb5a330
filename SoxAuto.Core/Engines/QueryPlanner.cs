using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines;

/// <summary>
/// Asks the configured engine about a query without making evidence: does it compile against the real
/// tables, and what are its first rows (a trial). The query is wrapped as <c>SELECT * FROM (...) LIMIT n</c>
/// and sent like a run's, so it is judged by the engine that will run the IPE (the demo lake locally,
/// Athena in Athena mode), and a trial's values are printed exactly as a run's extract prints them.
/// No Run is written and nothing becomes evidence; the engine keeps its result as for any query.
/// </summary>
public sealed class QueryPlanner(IQueryEngine engine) : IDisposable
{
    private bool _ownsEngine;

    /// <summary>The planner acting as <paramref name="requester"/> (a subject): with per-person AWS credentials an admin's trial
    /// or EXPLAIN runs under their own AWS identity, as their runs do; otherwise this planner. Dispose what it returns.</summary>
    /// <exception cref="RunnerIdentityException">The requester's AWS credentials could not be obtained.</exception>
    public async Task<QueryPlanner> AsAsync(string requester, CancellationToken ct)
    {
        var theirs = await engine.ForRunnerAsync(new EngineRunner(0, requester), ct);
        return theirs == engine ? new QueryPlanner(engine) : new QueryPlanner(theirs) { _ownsEngine = true };
    }

    public void Dispose()
    {
        if (_ownsEngine) (engine as IDisposable)?.Dispose();
    }

    /// <summary>Compiles the rendered query: syntax, tables, columns. Never throws for a bad query: the
    /// engine's message is in the result.</summary>
    public async Task<ExplainResult> ExplainAsync(string sql, string database, CancellationToken ct, string? outputLocation = null)
    {
        try
        {
            var shape = await QueryAsync($"SELECT * FROM ({sql}\n) AS shape LIMIT 0", database, 0, outputLocation, ct);
            return new ExplainResult(null, shape.Columns);
        }
        catch (EngineException e)
        {
            return new ExplainResult(e.Message, []);
        }
    }

    /// <summary>Runs the rendered query for its first <paramref name="maxRows"/> rows. <paramref name="outputLocation"/>:
    /// the IPE's own results location, as its runs would use.</summary>
    public Task<ResultSample> TrialAsync(string sql, string database, int maxRows, CancellationToken ct, string? outputLocation = null)
        => QueryAsync($"SELECT * FROM ({sql}\n) AS trial LIMIT {maxRows + 1}", database, maxRows, outputLocation, ct);

    private async Task<ResultSample> QueryAsync(string sql, string database, int maxRows, string? outputLocation, CancellationToken ct)
    {
        // A fresh token: a trial is never the retry of an earlier one.
        var id = await engine.StartAsync(new EngineQuery(sql, database, $"soxauto-trial-{Guid.NewGuid():N}", outputLocation), ct);
        EngineStatus status;
        for (int polls = 1; !(status = await engine.GetStatusAsync(id, ct)).IsFinal; polls++)
            await Task.Delay(engine.NextPollDelay(polls, PollInterval), ct);
        if (status.State != EngineState.Succeeded)
            throw new EngineException(status.Reason ?? $"The engine ended the query {status.State}.");

        await using var result = await engine.OpenResultAsync(id, ct);
        var reader = new AthenaCsvReader(result.Csv);
        await reader.ReadHeaderAsync(ct);
        var rows = new List<string?[]>();
        while (await reader.ReadRowAsync(ct))
        {
            if (rows.Count == maxRows) return new ResultSample(result.Columns, rows, Truncated: true);
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.Text).ToArray());
        }
        return new ResultSample(result.Columns, rows, Truncated: false);
    }

    /// <summary>A trial is a person waiting at the form: poll briskly (an engine may still back off).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
}

/// <summary><see cref="Error"/> is null when the engine accepted the query; then <see cref="Columns"/> is the result's shape.</summary>
public sealed record ExplainResult(string? Error, IReadOnlyList<ResultColumn> Columns)
{
    public bool Ok => Error is null;
}
