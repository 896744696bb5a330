using System.Collections.Concurrent;
using System.Diagnostics;
using DuckDB.NET.Data;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// DuckDB in-process over the demo lake, with Athena's shape: a start returns an execution id at once and
/// the query runs in the background on its own in-memory DuckDB; the result is written like Athena writes
/// to S3 (<see cref="LocalResultFiles"/>), in Athena's CSV dialect (<see cref="AthenaCsvWriter"/>).
/// Executions live in memory; after a restart only completed result files are still known.
/// </summary>
public sealed class LocalEngine(DataFolder folder) : IQueryEngine, IDisposable
{
    private static readonly Lazy<string> Version = new(LakeConnection.Version);

    private readonly ConcurrentDictionary<string, LocalExecution> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byToken = new(StringComparer.Ordinal);
    private readonly LocalResultFiles _files = new(folder.EngineResults);

    /// <summary>The DuckDB library's version, e.g. "v1.5.6".</summary>
    public static string DuckDbVersion => Version.Value;

    public string Name => $"Local (DuckDB {DuckDbVersion})";

    public bool ExecutionsOutliveProcess => false;

    /// <summary>The lake's folder is there with every table its manifest lists (checked by name and size, not
    /// hashed: a query hashes them); a lake without a manifest must hold at least one table.</summary>
    public Task CheckReadyAsync(CancellationToken ct)
    {
        var lake = folder.Lake;
        if (!Directory.Exists(lake))
            throw new EngineException("The lake folder is missing.");
        if (LakeManifest.TryRead(lake) is { } manifest)
        {
            var missing = manifest.Tables.Count(t => !(new FileInfo(Path.Combine(lake, t.File)) is { Exists: true } f && f.Length == t.Bytes));
            if (missing > 0)
                throw new EngineException($"{missing} of the lake's {manifest.Tables.Count} table files are missing or changed.");
        }
        else if (LakeConnection.Databases(lake).Count == 0)
        {
            throw new EngineException("The lake holds no tables.");
        }
        return Task.CompletedTask;
    }

    public Task<string> StartAsync(EngineQuery query, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        LocalExecution execution;
        lock (_byToken)
        {
            // Same token, same execution: a retried start never runs the query twice. Like Athena, a token
            // reused for a different query is refused rather than silently answered with the old result.
            if (_byToken.TryGetValue(query.ClientRequestToken, out var known))
            {
                var earlier = _executions[known].Query;
                if (earlier.Sql != query.Sql || earlier.Database != query.Database)
                    throw new EngineException($"The client request token {query.ClientRequestToken} was already used for a different query.");
                return Task.FromResult(known);
            }
            execution = new LocalExecution(Guid.NewGuid().ToString("D"), query);
            _executions[execution.Id] = execution;
            _byToken[query.ClientRequestToken] = execution.Id;
        }
        // A dedicated thread: a DuckDB query blocks its thread for as long as it runs.
        execution.Completion = Task.Factory.StartNew(
            () => Execute(execution), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.FromResult(execution.Id);
    }

    public Task<EngineStatus> GetStatusAsync(string executionId, CancellationToken ct)
    {
        if (_executions.TryGetValue(executionId, out var execution))
            return Task.FromResult(execution.Status());
        if (LocalResultFiles.IsExecutionId(executionId) && _files.IsComplete(executionId))
        {
            // Known from an earlier process: its result is complete on disk and can be fetched again.
            var summary = _files.ReadColumns(executionId);
            return Task.FromResult(new EngineStatus(EngineState.Succeeded, null, new EngineStatistics(
                EngineExecutionMillis: summary.EngineExecutionMillis, TotalMillis: summary.TotalMillis, EngineVersion: summary.EngineVersion)));
        }
        return Task.FromResult(new EngineStatus(EngineState.Unknown, $"The local engine does not know execution {executionId}."));
    }

    public async Task StopAsync(string executionId, CancellationToken ct)
    {
        if (!_executions.TryGetValue(executionId, out var execution)) return;
        execution.RequestStop();
        // Return once the query has let go, so the status is final (as Athena's is shortly after a stop).
        await execution.Completion.WaitAsync(ct);
    }

    /// <summary>Removes the partial result files of an execution started by a process that has stopped (this
    /// process does not run it, and its result never completed).</summary>
    public Task DiscardAsync(string executionId, CancellationToken ct)
    {
        if (!_executions.ContainsKey(executionId) && LocalResultFiles.IsExecutionId(executionId) && !_files.IsComplete(executionId))
            _files.DeleteQuietly(executionId);
        return Task.CompletedTask;
    }

    public Task<QueryResult> OpenResultAsync(string executionId, CancellationToken ct)
    {
        if (_executions.TryGetValue(executionId, out var execution) && execution.State != EngineState.Succeeded)
            throw new EngineException($"Execution {executionId} has no result: it is {execution.State}.");
        if (!LocalResultFiles.IsExecutionId(executionId) || !_files.IsComplete(executionId))
            throw new EngineException($"The local engine has no result for execution {executionId}.");
        var summary = _files.ReadColumns(executionId);
        var path = _files.Csv(executionId);
        var csv = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var source = $"local engine result file {folder.Relative(path).Replace('\\', '/')}";
        return Task.FromResult(new QueryResult(summary.Columns, csv, source));
    }

    private void Execute(LocalExecution execution)
    {
        if (!execution.TryStart()) return;
        var id = execution.Id;
        try
        {
            Directory.CreateDirectory(_files.Folder);
            var clock = Stopwatch.StartNew();
            using var con = LakeConnection.Open(folder.Lake, execution.Query.Database);
            LakeConnection.EnsureSingleQuery(con, execution.Query.Sql);
            var types = LakeConnection.DescribeColumnTypes(con, execution.Query.Sql);
            using var cmd = con.CreateCommand();
            cmd.CommandText = execution.Query.Sql;
            cmd.UseStreamingMode = true;
            execution.Attach(cmd);
            long rows;
            IReadOnlyList<ResultColumn> columns;
            try
            {
                (rows, columns) = WriteCsv(cmd, types, execution);
            }
            finally
            {
                execution.Attach(null);
            }
            File.Move(LocalResultFiles.Partial(_files.Csv(id)), _files.Csv(id), overwrite: true);
            var engineMillis = clock.ElapsedMilliseconds;
            _files.WriteColumns(id, new ResultSummary(
                id, execution.Query.Database, columns, rows, engineMillis, execution.ElapsedMillis, DuckDbVersion, DateTimeOffset.UtcNow));
            execution.Succeed(engineMillis);
        }
        catch (Exception) when (execution.StopRequested)
        {
            // DuckDB reports the interrupt as an error; the stop is what happened.
            _files.DeleteQuietly(id);
            execution.Cancel();
        }
        catch (DuckDBException e)
        {
            _files.DeleteQuietly(id);
            execution.Fail(e.Message.Trim());
        }
        catch (EngineException e)
        {
            _files.DeleteQuietly(id);
            execution.Fail(e.Message);
        }
        catch (IOException e)
        {
            _files.DeleteQuietly(id);
            execution.Fail($"Writing the result file failed: {e.Message}");
        }
        catch (Exception e)
        {
            _files.DeleteQuietly(id);
            execution.Fail($"The local engine failed unexpectedly ({e.GetType().Name}: {e.Message}).");
        }
    }

    private (long Rows, IReadOnlyList<ResultColumn> Columns) WriteCsv(DuckDBCommand cmd, IReadOnlyList<string> types, LocalExecution execution)
    {
        using var reader = cmd.ExecuteReader();
        var writers = ResultColumnWriter.For(reader, types);
        var partial = LocalResultFiles.Partial(_files.Csv(execution.Id));
        using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<char> scratch = stackalloc char[64];
        using (var csv = new AthenaCsvWriter(file, leaveOpen: true))
        {
            csv.WriteHeader(writers.Select(w => w.Column.Name));
            while (reader.Read())
            {
                for (int i = 0; i < writers.Count; i++)
                    writers[i].Write(reader, i, csv, scratch);
                csv.EndRow();
                if ((csv.Rows & 0xFFF) == 0 && execution.StopRequested)
                    throw new OperationCanceledException();
            }
            csv.Flush();
            if (execution.StopRequested) throw new OperationCanceledException();
            file.Flush(flushToDisk: true);
            return (csv.Rows, writers.Select(w => w.Column).ToList());
        }
    }

    /// <summary>At shutdown, running queries are interrupted; their partial files are deleted.</summary>
    public void Dispose()
    {
        foreach (var execution in _executions.Values.Where(e => !e.IsFinal))
            execution.RequestStop();
        foreach (var execution in _executions.Values)
            execution.Completion.Wait(TimeSpan.FromSeconds(10));
    }
}
