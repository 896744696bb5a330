using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;
using Xunit.Abstractions;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>Runs alone: the live managed heap is process-wide, so other tests must not allocate meanwhile.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// The evidence pass keeps memory flat: ten times the rows must not need more memory. The live
/// managed heap (after a full collection) is sampled every 32,768 rows through the progress callback,
/// and the peaks of a 100k-row and a 1M-row pass are compared. The margin, 10% plus 2 MiB, is what
/// the GC's own bookkeeping moves by between runs; anything kept per row would exceed it (2 bytes a
/// row over the 900,000 extra rows already would). Not timed.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class FlatMemoryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly (string, string)[] Columns =
        [("entry_no", "bigint"), ("document_no", "varchar"), ("amount", "decimal(18,2)"), ("posting_date", "date")];

    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Memory_of_a_million_row_pass_is_that_of_a_100k_row_pass()
    {
        await PeakLiveHeapAsync(10_000); // warm up: JIT, static tables, thread pool
        var small = await PeakLiveHeapAsync(100_000);
        var large = await PeakLiveHeapAsync(1_000_000);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak live heap: 100k rows {small / 1048576.0:F1} MiB, 1M rows {large / 1048576.0:F1} MiB"));
        Assert.True(large <= small * 1.10 + (2 << 20),
            string.Create(CultureInfo.InvariantCulture, $"1M rows peaked at {large:N0} bytes of live heap, 100k rows at {small:N0}"));
    }

    private async Task<long> PeakLiveHeapAsync(long rows)
    {
        long peak = 0;
        var samples = 0;
        var progress = new EveryNthReport(8, () =>
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            samples++;
        });
        var source = new SyntheticExtract("\"entry_no\",\"document_no\",\"amount\",\"posting_date\"", rows, i => string.Create(CultureInfo.InvariantCulture,
            $"\"{1_000_000 + i}\",\"DOC-{i % 100_000:D7}\",\"{i % 997 - 500}.{i % 100:D2}\",\"2025-09-{1 + i % 30:D2}\""));
        var request = _kit.Request();
        var checks = EvidenceTestKit.Checks(new CheckSettings { RequiredColumns = ["entry_no"], DateColumn = "posting_date" });

        var result = await new EvidenceWriter().WriteAsync(request, EvidenceTestKit.Result(source, Columns), checks, progress, CancellationToken.None);

        Assert.Equal(rows, result.RowCount);
        Assert.True(samples >= rows / 40_000, $"only {samples} samples");
        return peak;
    }

    /// <summary>The pass reports every 4,096 rows, synchronously on its own thread.</summary>
    private sealed class EveryNthReport(int n, Action sample) : IProgress<long>
    {
        private int _reports;
        public void Report(long value)
        {
            if (++_reports % n == 0) sample();
        }
    }
}
