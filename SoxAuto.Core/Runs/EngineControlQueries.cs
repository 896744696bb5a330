using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Runs;

/// <summary>
/// A run's control queries on the run's engine. All are started together as soon as the run's main query
/// has succeeded, so that they run on the engine while the evidence pass reads the extract (their time is
/// hidden behind it) and close in time to the main query (the sources have had least time to change); the
/// checks await their answers after the last row. Each is rendered with the run's typed parameters through
/// the same <see cref="QueryRenderer"/>, gets its own execution id, and is started with a client request
/// token derived from the run and the query, so a run resumed by another process re-attaches to a query
/// already started instead of launching it twice. They run inside the run's executor, so while the run's
/// lease is held; losing it cancels them.
/// </summary>
public sealed class EngineControlQueries : IControlQueries, IAsyncDisposable
{
    private readonly IQueryEngine _engine;
    private readonly Run _run;
    private readonly string _database;
    private readonly string? _outputLocation;
    private readonly TimeSpan _pollInterval;
    private readonly DateTimeOffset? _asOf;
    private readonly CancellationTokenSource _stop;
    private readonly Dictionary<ControlTotalQuery, Task<ControlAnswer>> _answers = [];
    private readonly List<string> _started = [];

    private EngineControlQueries(IQueryEngine engine, Run run, IpeDefinition ipe, TimeSpan pollInterval, DateTimeOffset? asOf, CancellationToken ct)
    {
        _asOf = asOf;
        _engine = engine;
        _run = run;
        _database = ipe.Database;
        _outputLocation = ipe.OutputLocation;
        _pollInterval = pollInterval;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queries = ipe.Checks.ControlTotalQueries;
        for (var i = 0; i < queries.Count; i++)
        {
            var (index, query) = (i, queries[i]);
            _answers.TryAdd(query, Task.Run(() => AnswerOfAsync(index, query, _stop.Token)));
        }
    }

    /// <summary>Starts every control query of the run's IPE version; with <paramref name="asOf"/> (a reperformance),
    /// each reads the data as of that time where the engine can, as the run's query did (<see cref="IQueryEngine.ReadAsOfAsync"/>).</summary>
    public static EngineControlQueries Start(IQueryEngine engine, Run run, IpeDefinition ipe, TimeSpan pollInterval, CancellationToken ct, DateTimeOffset? asOf = null) =>
        new(engine, run, ipe, pollInterval, asOf, ct);

    public Task<ControlAnswer> AnswerAsync(ControlTotalQuery query, CancellationToken ct) =>
        _answers.TryGetValue(query, out var answer) ? answer.WaitAsync(ct)
            : Task.FromResult(ControlAnswer.Failed(query.Sql, null, TimeSpan.Zero, "This query is not one of the run's control queries."));

    /// <summary>The token of the <paramref name="index"/>th control query of a run: the same run and query
    /// always give the same token, a changed query another.</summary>
    public static string Token(int runId, int index, string sql) =>
        $"soxauto-run-{runId}-control-{index + 1}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))[..16]}";

    private async Task<ControlAnswer> AnswerOfAsync(int index, ControlTotalQuery query, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        string sql;
        try { sql = QueryRenderer.Render(query.Sql, _run.Parameters); }
        catch (ParameterException e) { return ControlAnswer.Failed(query.Sql, null, watch.Elapsed, e.Message); }
        string? id = null;
        try
        {
            if (_asOf is { } at) sql = await _engine.ReadAsOfAsync(sql, _database, at, ct);
            id = await _engine.StartAsync(new EngineQuery(sql, _database, Token(_run.Id, index, sql), _outputLocation), ct);
            lock (_started) _started.Add(id);
            EngineStatus status;
            for (var polls = 0; !(status = await _engine.GetStatusAsync(id, ct)).IsFinal; polls++)
                await Task.Delay(_engine.NextPollDelay(polls, _pollInterval), ct);
            if (status.State != EngineState.Succeeded)
                return ControlAnswer.Failed(sql, id, watch.Elapsed, $"{_engine.Name} ended it {status.State}: {status.Reason}");
            await using var result = await _engine.OpenResultAsync(id, ct);
            var reader = new AthenaCsvReader(result.Csv);
            await reader.ReadHeaderAsync(ct);
            var rows = new List<string?[]>();
            while (await reader.ReadRowAsync(ct))
            {
                if (rows.Count == ControlAnswer.MaxRows)
                    return ControlAnswer.Failed(sql, id, watch.Elapsed, $"It returned more than {ControlAnswer.MaxRows:N0} rows; a control query returns one row per group.");
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.Text).ToArray());
            }
            return new ControlAnswer(sql, id, result.Columns, rows, watch.Elapsed);
        }
        catch (Exception e) when (e is EngineException or InvalidDataException or IOException)
        {
            return ControlAnswer.Failed(sql, id, watch.Elapsed, e.Message);
        }
    }

    /// <summary>Stops the control queries still running on the engine: the run ended without its evidence
    /// (cancelled or failed), so nobody will read them. Not when the app is merely stopping: a resumed run
    /// re-attaches to them through their tokens.</summary>
    public async Task StopUnfinishedAsync()
    {
        await _stop.CancelAsync();
        string[] started;
        lock (_started) started = [.. _started];
        foreach (var id in started)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                if (!(await _engine.GetStatusAsync(id, timeout.Token)).IsFinal) await _engine.StopAsync(id, timeout.Token);
            }
            catch (Exception e) when (e is EngineException or OperationCanceledException or IOException or HttpRequestException)
            {
                // Best effort: an engine that cannot be reached now ends the query on its own (Athena's timeout).
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var answer in _answers.Values)
        {
            try { await answer; }
            catch (Exception) { } // cancelled now, or already reported as its check's Error
        }
        _stop.Dispose();
    }
}
