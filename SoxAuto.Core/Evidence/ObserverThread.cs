using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// Feeds some observers (a run's checks) on a thread of their own, so that the pass's thread (parsing
/// and the Data sheets' XML) does not also do their work: on 2 cores the main thread was the longest
/// path of the pass, and the checks were a third of it (issue 18). Rows are copied into batches of
/// <see cref="BatchRows"/>; the observers see every row in order, exactly as they would on the pass's
/// thread, and <see cref="End"/> returns only once they have seen the last one. At most
/// <see cref="Batches"/> batches exist, so memory stays flat; the pass waits when the observers fall behind.
/// </summary>
internal sealed class ObserverThread : IExtractObserver, IDisposable
{
    // 1,024 rows of 10 columns: index arrays of 40 KiB, below the large-object heap; ~1,000 hand-overs per 1M rows.
    public const int BatchRows = 1024;
    private const int Batches = 3;

    private readonly IExtractObserver[] _observers;
    private readonly BlockingCollection<RowBatch> _full = new(Batches);
    private readonly BlockingCollection<RowBatch> _free = new(Batches);
    private readonly Thread _thread;
    private RowBatch? _filling;
    private Exception? _failure;
    private bool _started, _ended;

    public ObserverThread(IReadOnlyList<IExtractObserver> observers)
    {
        _observers = [.. observers];
        _thread = new Thread(Feed) { IsBackground = true, Name = "evidence checks" };
    }

    public void Begin(ExtractHeader header)
    {
        foreach (var observer in _observers) observer.Begin(header);
        for (var i = 0; i < Batches; i++) _free.Add(new RowBatch(header.Count));
        _thread.Start();
        _started = true;
    }

    public void Row(IExtractRow row)
    {
        if (_filling is null && !_free.TryTake(out _filling, Timeout.Infinite)) ExceptionDispatchInfo.Throw(_failure!);
        _filling.Add(row);
        if (_filling.Count == BatchRows) HandOn();
    }

    /// <summary>Waits until the observers have seen every row, then ends them on this thread.</summary>
    public void End(long rows)
    {
        if (_filling is { Count: > 0 }) HandOn();
        Stop();
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
        foreach (var observer in _observers) observer.End(rows);
    }

    /// <summary>Stops the thread (after a failed or cancelled pass: it sees no further rows). Call it
    /// before disposing the observers.</summary>
    public void Dispose()
    {
        Stop();
        _full.Dispose();
        _free.Dispose();
    }

    private void HandOn()
    {
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
        _full.Add(_filling!); // never waits: only Batches batches exist
        _filling = null;
    }

    private void Stop()
    {
        if (_ended) return;
        _ended = true;
        _full.CompleteAdding();
        if (_started) _thread.Join();
    }

    private void Feed()
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable())
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    batch.At = r;
                    for (var i = 0; i < _observers.Length; i++) _observers[i].Row(batch);
                }
                batch.Clear();
                _free.Add(batch);
            }
        }
        catch (Exception e)
        {
            // An observer that throws (a check is guarded and does not) fails the pass at its next row or
            // its end; the pass is not left waiting for batches nobody takes.
            _failure = e;
            _free.CompleteAdding();
        }
    }

    /// <summary>Rows copied out of the reader's buffer: each value's bytes, or NULL.</summary>
    private sealed class RowBatch(int columns) : IExtractRow
    {
        private byte[] _bytes = new byte[1 << 16];
        private int _used;
        private readonly int[] _start = new int[BatchRows * columns];
        private readonly int[] _length = new int[BatchRows * columns]; // -1 for NULL

        public int Count { get; private set; }

        /// <summary>The row observers see.</summary>
        public int At { get; set; }

        public void Add(IExtractRow row)
        {
            var first = Count * columns;
            for (var c = 0; c < columns; c++)
            {
                if (row.IsNull(c))
                {
                    _length[first + c] = -1;
                    continue;
                }
                var value = row.Value(c);
                if (_used + value.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + value.Length));
                value.CopyTo(_bytes.AsSpan(_used));
                _start[first + c] = _used;
                _length[first + c] = value.Length;
                _used += value.Length;
            }
            Count++;
        }

        public void Clear() => (Count, _used) = (0, 0);

        public bool IsNull(int column) => _length[At * columns + column] < 0;

        public ReadOnlySpan<byte> Value(int column)
        {
            var i = At * columns + column;
            return _length[i] < 0 ? default : _bytes.AsSpan(_start[i], _length[i]);
        }
    }
}
