using System.Diagnostics;
using DuckDB.NET.Data;

namespace SoxAuto.Core.Engines.Local;

/// <summary>One query on the local engine, from Queued to a final state. A final state never changes.</summary>
internal sealed class LocalExecution(string id, EngineQuery query)
{
    private readonly object _gate = new();
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private long? _queueMillis;
    private long? _engineMillis;
    private DuckDBCommand? _command;

    public string Id { get; } = id;
    public EngineQuery Query { get; } = query;
    public EngineState State { get; private set; } = EngineState.Queued;
    public string? Reason { get; private set; }
    public bool StopRequested { get; private set; }
    public Task Completion { get; set; } = Task.CompletedTask;
    public EngineStatistics? Statistics { get; private set; }

    public long ElapsedMillis => _total.ElapsedMilliseconds;

    public bool IsFinal => State is EngineState.Succeeded or EngineState.Failed or EngineState.Cancelled;

    public EngineStatus Status()
    {
        lock (_gate)
        {
            var stats = Statistics ?? new EngineStatistics(QueueMillis: _queueMillis, TotalMillis: _total.ElapsedMilliseconds, EngineVersion: LocalEngine.DuckDbVersion);
            return new EngineStatus(State, Reason, stats);
        }
    }

    /// <summary>Returns false if a stop came first.</summary>
    public bool TryStart()
    {
        lock (_gate)
        {
            if (StopRequested) return false;
            State = EngineState.Running;
            _queueMillis = _total.ElapsedMilliseconds;
            return true;
        }
    }

    /// <summary>Registers the DuckDB command about to run, so that a stop can interrupt it.</summary>
    public void Attach(DuckDBCommand? command)
    {
        lock (_gate)
        {
            if (command is not null && StopRequested) throw new OperationCanceledException();
            _command = command;
        }
    }

    public void RequestStop()
    {
        lock (_gate)
        {
            if (IsFinal || StopRequested) return;
            StopRequested = true;
            if (State == EngineState.Queued)
            {
                Finish(EngineState.Cancelled, StoppedReason);
                return;
            }
        }
        // DuckDB ignores an interrupt that arrives before its query has begun, so keep interrupting until it lets go.
        _ = Task.Run(async () =>
        {
            while (!IsFinal)
            {
                lock (_gate) _command?.Cancel();
                await Task.Delay(50);
            }
        });
    }

    public const string StoppedReason = "The query was stopped on request.";

    public void Succeed(long engineMillis)
    {
        lock (_gate)
        {
            _engineMillis = engineMillis;
            Finish(EngineState.Succeeded, null);
        }
    }

    public void Fail(string reason)
    {
        lock (_gate) Finish(EngineState.Failed, reason);
    }

    public void Cancel()
    {
        lock (_gate) Finish(EngineState.Cancelled, StoppedReason);
    }

    private void Finish(EngineState state, string? reason)
    {
        if (IsFinal) return;
        _command = null;
        State = state;
        Reason = reason;
        Statistics = new EngineStatistics(
            EngineExecutionMillis: _engineMillis, QueueMillis: _queueMillis, TotalMillis: _total.ElapsedMilliseconds,
            EngineVersion: LocalEngine.DuckDbVersion);
    }
}
