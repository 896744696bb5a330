using System.Diagnostics;
using System.Text.Json;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Extract;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// The child side of the benchmark (<c>bench-child</c>, not for people): one measurement per process,
/// printed as one JSON line. <c>stage NAME EXTRACT WORKDIR</c> runs the evidence pass with its parts
/// plugged in up to that stage (<see cref="Stages"/>); <c>preview EXTRACT</c> times preview pages; <c>sample METHOD EXTRACT</c>
/// draws a sample (<see cref="SamplingBench"/>); <c>runs N EXTRACT WORKDIR [APPDATA]</c>
/// runs N whole passes at once, with the web app serving pages meanwhile when APPDATA is given.
/// </summary>
public static class BenchChild
{
    /// <summary>Each stage is the product's own <see cref="EvidencePass"/> with one more part plugged in
    /// than the stage before, so the difference between two stages is what that part costs: read (nothing
    /// plugged in), hash, store (the stored extract, forced to disk), checks (the IPE's checks and the
    /// column figures), pass (the workbook too: <see cref="EvidenceWriter"/> exactly as a run calls it).</summary>
    public static readonly string[] Stages = ["read", "hash", "store", "checks", "pass"];

    public static async Task<int> RunAsync(string[] args)
    {
        var measurement = args[0] switch
        {
            "stage" => await StageAsync(args[1], args[2], args[3]),
            "preview" => await PreviewAsync(args[1]),
            "sample" => await SamplingBench.MeasureAsync(args[1], args[2]),
            "runs" => await ConcurrentRuns.MeasureAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2], args[3], args.Length > 4 ? args[4] : null),
            _ => throw new ArgumentException($"Unknown bench-child measurement '{args[0]}'."),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(measurement));
        return 0;
    }

    private static async Task<BenchMeasurement> StageAsync(string stage, string extract, string workDir)
    {
        var ct = CancellationToken.None;
        var copy = Path.Combine(workDir, "copy.csv");
        using var rowsRead = stage == "pass" ? new RowsReadMemory() : null;
        Func<Task<long>> work = stage switch
        {
            "read" => () => PassAsync(extract, [], new PassBytes(Sha256: false), ct),
            "hash" => () => PassAsync(extract, [], new PassBytes(Sha256: true), ct),
            "store" => () => StoredPassAsync(extract, copy, [], ct),
            "checks" => () => StoredPassAsync(extract, copy, [new ColumnFigures(), .. GlExtract.Checks(extract)], ct),
            "pass" => () => WholePassAsync(extract, workDir, "run", ct, rowsRead),
            _ => throw new ArgumentException($"Unknown stage '{stage}'."),
        };
        var startRss = ProcessMemory.RssBytes;
        var cpu = ChildProcess.CpuSeconds;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var watch = Stopwatch.StartNew();
        var rows = await work();
        watch.Stop();
        return new BenchMeasurement(stage, rows, watch.Elapsed.TotalSeconds, ChildProcess.CpuSeconds - cpu, ProcessMemory.PeakRssBytes, startRss,
            rowsRead is null ? null : new()
            {
                ["rows_read_rss_bytes"] = rowsRead.PeakBytes,
                ["gc_committed_bytes"] = rowsRead.PassCommittedBytes,
                // Methods the JIT compiled during the pass, first compilations and optimized recompilations of hot code.
                ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled,
            });
    }

    private static async Task<long> StoredPassAsync(string extract, string copy, IReadOnlyList<IExtractObserver> observers, CancellationToken ct)
    {
        await using var stored = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var rows = await PassAsync(extract, observers, new PassBytes(Sha256: true, StoredExtract: stored), ct);
        // Outcomes are asked for after the pass, as the evidence writer asks for them; a bench whose checks do
        // not pass on its own extract would measure something broken.
        foreach (var check in observers.OfType<ICheck>())
        {
            var outcome = await check.OutcomeAsync(ct);
            (check as IDisposable)?.Dispose();
            if (outcome.Status != CheckStatus.Passed)
                throw new InvalidOperationException($"The bench check '{outcome.Name}' is {outcome.Status}: {outcome.Actual} {outcome.Detail}");
        }
        return rows;
    }

    private static async Task<long> PassAsync(string extract, IReadOnlyList<IExtractObserver> observers, PassBytes bytes, CancellationToken ct)
    {
        await using var result = Open(extract);
        return (await EvidencePass.RunAsync(result, observers, bytes, null, ct)).Rows;
    }

    /// <summary>The evidence pass exactly as a run does it, over the extract file as the engine's result.</summary>
    public static async Task<long> WholePassAsync(string extract, string workDir, string name, CancellationToken ct, IProgress<long>? rows = null)
    {
        var request = new EvidenceRequest([new("IPE", "BENCH"), new("Run", name)], "SELECT * FROM gl_entries", [],
            Path.Combine(workDir, name + ".csv"), Path.Combine(workDir, name + ".xlsx"));
        await using var result = Open(extract);
        var evidence = await new EvidenceWriter().WriteAsync(request, result, GlExtract.Checks(extract), rows, ct);
        if (evidence.Checks.FirstOrDefault(c => c.Status != CheckStatus.Passed) is { } broken)
            throw new InvalidOperationException($"The bench check '{broken.Name}' is {broken.Status}: {broken.Actual} {broken.Detail}");
        return evidence.RowCount;
    }

    /// <summary>The extract file as an engine's result stream.</summary>
    private static QueryResult Open(string extract)
        => new(GlExtract.Columns, new FileStream(extract, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true), "bench");

    /// <summary>What the run page asks for: the header (a one-row page), then the first page of 25 rows;
    /// a page in the middle and the last page show how paging cost grows with the position.</summary>
    private static async Task<BenchMeasurement> PreviewAsync(string extract)
    {
        var preview = new ExtractPreview();
        var startRss = ProcessMemory.RssBytes;
        var figures = new Dictionary<string, double>();
        async Task<PreviewPage> Timed(string name, long skip, int take)
        {
            var watch = Stopwatch.StartNew();
            var page = await preview.ReadPageAsync(extract, skip, take, CancellationToken.None);
            figures[name] = watch.Elapsed.TotalMilliseconds;
            return page;
        }
        var total = Stopwatch.StartNew();
        await Timed("header_ms", 0, 1);
        await Timed("first_page_ms", 0, 25);
        figures["opening_ms"] = total.Elapsed.TotalMilliseconds; // header + first page, cold (JIT included)
        await Timed("first_page_warm_ms", 0, 25);
        var rows = await PassAsync(extract, [], new PassBytes(Sha256: false), CancellationToken.None);
        await Timed("middle_page_ms", rows / 2, 25);
        await Timed("last_page_ms", Math.Max(0, rows - 25), 25);
        return new BenchMeasurement("preview", rows, figures["opening_ms"] / 1000, 0, ProcessMemory.PeakRssBytes, startRss, figures);
    }
}
