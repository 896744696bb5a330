using SoxAuto.Core.Evidence;

namespace SoxAuto.Core.Engines;

/// <summary>
/// EXPLAIN and trial runs through any <see cref="IQueryEngine"/> (used for Athena): the query is wrapped
/// as <c>SELECT * FROM (...) LIMIT n</c> and sent like a run's, so syntax, tables and columns are judged
/// by the engine that will run the IPE. Nothing becomes evidence and no Run is written.
/// </summary>
public sealed class EnginePlanner(IQueryEngine engine) : IQueryPlanner
{
    public async Task<ExplainResult> ExplainAsync(string sql, string database, CancellationToken ct)
    {
        try
        {
            var (columns, _, _) = await QueryAsync($"SELECT * FROM ({sql}\n) AS shape LIMIT 0", database, 0, ct);
            return new ExplainResult(null, columns);
        }
        catch (EngineException e)
        {
            return new ExplainResult(e.Message, []);
        }
    }

    public async Task<TrialResult> TrialAsync(string sql, string database, int maxRows, CancellationToken ct)
    {
        var (columns, rows, truncated) = await QueryAsync($"SELECT * FROM ({sql}\n) AS trial LIMIT {maxRows + 1}", database, maxRows, ct);
        return new TrialResult(columns, rows, truncated);
    }

    private async Task<(IReadOnlyList<ResultColumn>, IReadOnlyList<string?[]>, bool)> QueryAsync(
        string sql, string database, int maxRows, CancellationToken ct)
    {
        // A fresh token: a trial is never the retry of an earlier one.
        var id = await engine.StartAsync(new EngineQuery(sql, database, $"soxauto-trial-{Guid.NewGuid():N}"), ct);
        EngineStatus status;
        for (int polls = 1; !(status = await engine.GetStatusAsync(id, ct)).IsFinal; polls++)
            await Task.Delay(engine.NextPollDelay(polls, TimeSpan.FromMilliseconds(250)), ct);
        if (status.State != EngineState.Succeeded)
            throw new EngineException(status.Reason ?? $"The engine ended the query {status.State}.");

        await using var result = await engine.OpenResultAsync(id, ct);
        var reader = new AthenaCsvReader(result.Csv);
        await reader.ReadHeaderAsync(ct);
        var rows = new List<string?[]>();
        while (await reader.ReadRowAsync(ct))
        {
            if (rows.Count == maxRows) return (result.Columns, rows, true);
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        return (result.Columns, rows, false);
    }
}
