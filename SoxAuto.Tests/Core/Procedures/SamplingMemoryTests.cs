using System.Globalization;
using SoxAuto.Core.Procedures.Sampling;
using SoxAuto.Tests.Core.Evidence;
using Xunit.Abstractions;

namespace SoxAuto.Tests.Core.Procedures;

/// <summary>
/// Sampling streams over the extract: ten times the rows must not need more memory. As for the evidence pass
/// (<see cref="FlatMemoryTests"/>), the live managed heap after a full collection is sampled as the extract is
/// read, and the peaks of a 100k-row and a 1M-row draw are compared with the same margin. Not timed.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class SamplingMemoryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SampleMethod.Stratified)]
    [InlineData(SampleMethod.MonetaryUnit)]
    public async Task Memory_of_a_million_row_draw_is_that_of_a_100k_row_draw(SampleMethod method)
    {
        await PeakLiveHeapAsync(method, 10_000); // warm up
        var small = await PeakLiveHeapAsync(method, 100_000);
        var large = await PeakLiveHeapAsync(method, 1_000_000);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: peak live heap 100k rows {small / 1048576.0:F1} MiB, 1M rows {large / 1048576.0:F1} MiB"));
        Assert.True(large <= small * 1.10 + (2 << 20),
            string.Create(CultureInfo.InvariantCulture, $"1M rows peaked at {large:N0} bytes of live heap, 100k rows at {small:N0}"));
    }

    private static async Task<long> PeakLiveHeapAsync(SampleMethod method, long rows)
    {
        long peak = 0;
        Task<Stream> Open(CancellationToken _) => Task.FromResult<Stream>(new Sampled(new SyntheticExtract("\"entry_no\",\"company\",\"amount\"", rows, i => string.Create(CultureInfo.InvariantCulture,
            $"\"{1_000_000 + i}\",\"C{i % 9}\",\"{i % 997}.{i % 100:D2}\"")), () => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true))));

        var drawn = await SampleDraw.DrawAsync(Open, new SampleSpec(method, 25, 42, "amount", "company"), CancellationToken.None);

        Assert.Equal(rows, drawn.PopulationRows);
        Assert.NotEmpty(drawn.Rows);
        return peak;
    }

    /// <summary>Calls <paramref name="measure"/> every 16th read of the extract.</summary>
    private sealed class Sampled(Stream inner, Action measure) : Stream
    {
        private int _reads;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (++_reads % 16 == 0) measure();
            return inner.Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (++_reads % 16 == 0) measure();
            return await inner.ReadAsync(buffer, ct);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
