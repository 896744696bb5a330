using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SoxAuto.Core.Runs;

/// <summary>Run ids waiting for the worker, and the cancellation handles of runs in progress here.
/// The Run rows in the database are the truth (and a run's lease says who executes it); this channel
/// only wakes the worker.</summary>
public sealed class RunQueue
{
    private readonly Channel<int> _channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<int, byte> _waiting = new();
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _active = new();

    /// <summary>Hands a run to the worker, unless it is already waiting or in progress here.</summary>
    public void Enqueue(int runId)
    {
        if (_active.ContainsKey(runId) || !_waiting.TryAdd(runId, 0)) return;
        _channel.Writer.TryWrite(runId);
    }

    public async IAsyncEnumerable<int> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var runId in _channel.Reader.ReadAllAsync(ct))
        {
            _waiting.TryRemove(runId, out _);
            yield return runId;
        }
    }

    /// <summary>Marks a run as in progress here; null when it already is (it must not run twice).</summary>
    public CancellationTokenSource? TryTrack(int runId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_active.TryAdd(runId, cts)) return cts;
        cts.Dispose();
        return null;
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
