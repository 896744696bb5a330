using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SoxAuto.Core.Runs;

/// <summary>Run ids waiting for the worker, and the cancellation handles of runs in progress.
/// The Run rows in the database are the truth; this channel only wakes the worker.</summary>
public sealed class RunQueue
{
    private readonly Channel<int> _channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _active = new();

    public void Enqueue(int runId) => _channel.Writer.TryWrite(runId);

    public IAsyncEnumerable<int> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);

    public CancellationTokenSource Track(int runId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _active[runId] = cts;
        return cts;
    }

    public void Untrack(int runId)
    {
        if (_active.TryRemove(runId, out var cts)) cts.Dispose();
    }

    /// <summary>Signals a run in progress to stop; false when it is not running here.</summary>
    public bool SignalCancel(int runId)
    {
        if (!_active.TryGetValue(runId, out var cts)) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
