using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>The benchmark's figures as Markdown: the machine, the extracts, one table per size with
/// each part next to the two limits, the preview, runs at once, and each target met or missed.
/// Times are medians over the repetitions; MB is 10^6 bytes, MiB 2^20.</summary>
public sealed class BenchReport(BenchOptions options)
{
    private const double MB = 1e6, MiB = 1 << 20;
    private readonly List<(long Rows, BenchMeasurement M)> _measurements = [];
    private readonly string _loadAtStart = LoadAverage();

    public List<BenchExtract> Extracts { get; } = [];

    /// <summary>Why a period close did not finish, one line per failed attempt.</summary>
    public List<string> CloseFailures { get; } = [];

    public void Add(long rows, BenchMeasurement measurement) => _measurements.Add((rows, measurement));

    private static readonly (string Name, string Label)[] Parts =
    [
        ("sha256sum", "`sha256sum` (limit)"),
        ("gzip -1", "`gzip -1` (limit)"),
        ("read", "the pass, nothing plugged in: parse every row"),
        ("hash", "+ hash: SHA-256"),
        ("store", "+ stored extract: copy and fsync"),
        ("checks", "+ checks and column figures"),
        ("pass", "+ workbook: the **whole evidence pass**"),
    ];

    public string Render()
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Line($"## Machine and command");
        Line($"- CPU: {CpuModel()}, {Environment.ProcessorCount} cores (`nproc`); memory {MemTotalBytes() / (double)(1L << 30):F1} GiB; {OsName()}");
        Line($"- {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC (the web app's setting); {Build}");
        Line($"- load average (1, 5, 15 min) at start {_loadAtStart}, at end {LoadAverage()} (the cores are shared with other builds)");
        Line($"- `dotnet run -c Release --project SoxAuto.Web -- bench --rows {string.Join(',', options.Rows)} --repeat {options.Repeat} --runs {options.Runs}{(options.App ? "" : " --no-app")}`");
        Line($"- every figure is the median of {options.Repeat} repetition(s), each measured in its own child process; peak RSS is that process's VmHWM (runtime included)");
        Line($"");
        Line($"## Extracts (synthetic G/L entries, 10 columns)");
        Line($"| rows | size | SHA-256 |");
        Line($"| ---: | ---: | --- |");
        foreach (var e in Extracts) Line($"| {e.Rows:N0} | {e.Bytes / MiB:F1} MiB | `{e.Sha256}` |");

        foreach (var e in Extracts)
        {
            var gzip = Median(e.Rows, "gzip -1", m => m.Seconds);
            var gzipCpu = Median(e.Rows, "gzip -1", m => m.CpuSeconds);
            Line($"");
            Line($"## {e.Rows:N0} rows");
            Line($"| part | time | min–max | rows/s | MiB/s | peak RSS | × `gzip -1` | CPU time | CPU × `gzip -1` |");
            Line($"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, label) in Parts)
            {
                var all = Of(e.Rows, name).ToList();
                if (all.Count == 0) continue;
                var s = Median(all.Select(m => m.Seconds));
                var cpu = Median(all.Select(m => m.CpuSeconds));
                var rss = all[0].PeakRssBytes == 0 ? "—" : $"{Median(all.Select(m => (double)m.PeakRssBytes)) / MB:F0} MB";
                Line($"| {label} | {s:F2} s | {all.Min(m => m.Seconds):F2}–{all.Max(m => m.Seconds):F2} | {e.Rows / s:N0} | {e.Bytes / MiB / s:F0} | {rss} | {s / gzip:F2} | {cpu:F2} s | {cpu / gzipCpu:F2} |");
            }
        }

        RenderPreviewAndRuns(Line);
        SamplingBench.Render(_measurements, Median, Line);
        RenderTargets(Line);
        return md.ToString();
    }

    private void RenderPreviewAndRuns(Action<FormattableString> line)
    {
        var preview = _measurements.Where(x => x.M.Name == "preview").ToList();
        if (preview.Count > 0)
        {
            double F(string key) => Median(preview.Select(p => p.M.Figures![key]));
            line($"");
            line($"## Preview of the {preview[0].Rows:N0}-row extract (fresh process, milliseconds)");
            line($"| opening: header + first page of 25 (cold) | first page again (warm) | page at the middle | last page |");
            line($"| ---: | ---: | ---: | ---: |");
            line($"| {F("opening_ms"):F0} | {F("first_page_warm_ms"):F1} | {F("middle_page_ms"):F0} | {F("last_page_ms"):F0} |");
        }

        var runs = _measurements.Where(x => x.M.Name.StartsWith("runs", StringComparison.Ordinal)).ToList();
        if (runs.Count == 0) return;
        var single = Of(runs[0].Rows, "pass").ToList();
        line($"");
        line($"## {options.Runs} runs at once, {runs[0].Rows:N0} rows each, one process");
        line($"| | wall time | CPU time | slowest run | peak RSS | RSS before | added per run |");
        line($"| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        line($"| one pass (above) | {Median(single.Select(m => m.Seconds)):F2} s | {Median(single.Select(m => m.CpuSeconds)):F2} s | | {Median(single.Select(m => (double)m.PeakRssBytes)) / MB:F0} MB | {Median(single.Select(m => (double)m.StartRssBytes)) / MB:F0} MB | {Median(single.Select(m => (double)(m.PeakRssBytes - m.StartRssBytes))) / MB:F0} MB |");
        foreach (var group in runs.GroupBy(r => r.M.Name))
        {
            var m = group.Select(g => g.M).ToList();
            line($"| {options.Runs} passes{(group.Key == "runs" ? "" : " + web app serving")} | {Median(m.Select(x => x.Seconds)):F2} s | {Median(m.Select(x => x.CpuSeconds)):F2} s | {Median(m.Select(x => x.Figures!["slowest_run_s"])):F2} s | {Median(m.Select(x => (double)x.PeakRssBytes)) / MB:F0} MB | {Median(m.Select(x => (double)x.StartRssBytes)) / MB:F0} MB | {Median(m.Select(x => (double)(x.PeakRssBytes - x.StartRssBytes))) / options.Runs / MB:F0} MB |");
        }
        var withApp = runs.Where(r => r.M.Name == "runs+app").Select(r => r.M).ToList();
        if (withApp.Count == 0) return;
        double A(string key) => Median(withApp.Select(m => m.Figures![key]));
        line($"");
        line($"While the {options.Runs} runs went, GET /runs (signed in, rendered from the database) and the first preview page were timed every 250 ms:");
        line($"");
        line($"| requests | /runs idle (median) | /runs median | /runs p95 | /runs max | preview page median | preview page max |");
        line($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        line($"| {A("page_probes"):F0} | {A("page_idle_median_ms"):F0} ms | {A("page_median_ms"):F0} ms | {A("page_p95_ms"):F0} ms | {withApp.Max(m => m.Figures!["page_max_ms"]):F0} ms (worst of all) | {A("preview_median_ms"):F0} ms | {withApp.Max(m => m.Figures!["preview_max_ms"]):F0} ms |");
    }

    /// <summary>Where a pass's peak memory grows from the smallest extract to the largest: the growth between
    /// each two sizes, and each part's peak at the smallest and the largest (docs/performance.md traces the
    /// resident set through whole passes).</summary>
    private string MemoryGrowth(long small, long large)
    {
        double Peak(long rows, string stage) => Median(rows, stage, m => m.PeakRssBytes) / MB;
        var sizes = Extracts.Select(e => e.Rows).Order().ToList();
        var steps = string.Join(", ", sizes.Zip(sizes.Skip(1)).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{(Peak(p.Second, "pass") / Peak(p.First, "pass") - 1) * 100:+0.0;-0.0}% from {p.First:N0} to {p.Second:N0} rows")));
        var parts = string.Join(", ", BenchChild.Stages.Where(s => Of(small, s).Any() && Of(large, s).Any())
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {Peak(small, s):F0} → {Peak(large, s):F0} MB")));
        var why = $"the whole pass's peak grows {steps}; each part's peak from {small:N0} to {large:N0} rows: {parts}";
        // Figures the pass's child reports (a report from before they existed has none).
        bool Both(string figure) => Of(small, "pass").Concat(Of(large, "pass")).All(m => m.Figures?.ContainsKey(figure) == true);
        // Whether memory is kept per row shows while the rows are read; what the end of the pass adds does not depend on them.
        const string rowsRead = "rows_read_rss_bytes";
        if (Both(rowsRead))
        {
            double WhileRead(long rows) => Median(rows, "pass", m => m.Figures![rowsRead]) / MB;
            why += string.Create(CultureInfo.InvariantCulture,
                $"; while the rows were read the whole pass held at most {WhileRead(small):F0} → {WhileRead(large):F0} MB ({(WhileRead(large) / WhileRead(small) - 1) * 100:+0.0;-0.0}%), and the end of the pass (the checks' outcomes, the summary sheets, closing the workbook) added {Peak(small, "pass") - WhileRead(small):F0} → {Peak(large, "pass") - WhileRead(large):F0} MB");
        }
        // The managed heap's share tells whether growth is the GC's (objects, or pages it keeps) or native memory.
        const string committed = "gc_committed_bytes";
        if (Both(committed))
        {
            double Heap(long rows) => Median(rows, "pass", m => m.Figures![committed]) / MB;
            why += string.Create(CultureInfo.InvariantCulture,
                $"; the GC's committed heap was at most {Heap(small):F0} → {Heap(large):F0} MB of it, the rest of the process (native allocations, libraries' pages, compiled code) {Peak(small, "pass") - Heap(small):F0} → {Peak(large, "pass") - Heap(large):F0} MB");
        }
        const string jit = "jit_methods";
        if (Both(jit))
        {
            why += string.Create(CultureInfo.InvariantCulture,
                $"; the JIT compiled {Median(small, "pass", m => m.Figures![jit]):N0} → {Median(large, "pass", m => m.Figures![jit]):N0} methods during the pass (a longer pass recompiles more of its hot code optimized, and the runtime keeps both versions' code and data)");
        }
        return why;
    }

    /// <summary>Issue 18's targets, each met or NOT met with the figures that say why.</summary>
    private void RenderTargets(Action<FormattableString> line)
    {
        var oneMillion = Extracts.MinBy(e => Math.Abs(e.Rows - 1_000_000));
        if (oneMillion is null) return;
        var rows = oneMillion.Rows;
        line($"");
        line($"## Targets");
        double Stage(string name, Func<BenchMeasurement, double> figure) => Median(rows, name, figure);
        var (pass, passCpu) = (Stage("pass", m => m.Seconds), Stage("pass", m => m.CpuSeconds));
        var (gzip, gzipCpu) = (Stage("gzip -1", m => m.Seconds), Stage("gzip -1", m => m.CpuSeconds));
        var sha = Stage("sha256sum", m => m.Seconds);
        var ratio = pass / gzip;
        line($"- whole pass, {rows:N0} rows, every check on, within 1.5× `gzip -1`: **{ratio:F2}×** wall time ({Verdict(ratio <= 1.5)}); processor time {passCpu / gzipCpu:F2}×; {pass / sha:F1}× `sha256sum`");
        if (ratio > 1.5)
        {
            // What each part adds over the part before, in processor time: where the gap is.
            var costs = new List<(string Name, double Cpu)>();
            var previous = 0.0;
            foreach (var name in BenchChild.Stages)
            {
                if (!Of(rows, name).Any()) continue;
                var cpu = Stage(name, m => m.CpuSeconds);
                costs.Add((name, cpu - previous));
                previous = cpu;
            }
            var why = string.Join(", ", costs.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Cpu:F2} s")));
            line($"  - why not: `gzip -1` spends {gzipCpu:F2} s of processor time; the pass spends {passCpu:F2} s ({why}, each part over the one before) on {Environment.ProcessorCount} cores, so even with every core busy its wall time cannot fall below about {passCpu / Environment.ProcessorCount:F2} s, {passCpu / Environment.ProcessorCount / gzipCpu:F2}× the processor time of `gzip -1` (one core, so on a quiet machine its wall time)");
        }
        var peaks = Extracts.Select(e => (e.Rows, Peak: Median(e.Rows, "pass", m => m.PeakRssBytes))).ToList();
        var highest = peaks.MaxBy(p => p.Peak);
        line($"- peak memory of a whole pass at most 250 MB at every size: **{highest.Peak / MB:F0} MB** at {highest.Rows:N0} rows ({Verdict(highest.Peak <= 250 * MB)})");
        var (small, large) = (Extracts.MinBy(e => e.Rows)!, Extracts.MaxBy(e => e.Rows)!);
        if (small != large)
        {
            var growth = Median(large.Rows, "pass", m => m.PeakRssBytes) / Median(small.Rows, "pass", m => m.PeakRssBytes) - 1;
            line($"- memory flat from {small.Rows:N0} to {large.Rows:N0} rows (at most 10% growth): **{growth * 100:+0.0;-0.0}%** ({Verdict(growth <= 0.10)}; {string.Join(", ", peaks.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Peak / MB:F0} MB at {p.Rows:N0}")))})");
            if (growth > 0.10) line($"  - why not: {MemoryGrowth(small.Rows, large.Rows)}");
        }
        var preview = _measurements.Where(x => x.M.Name == "preview").Select(x => x.M.Figures!["opening_ms"]).ToList();
        if (preview.Count > 0)
            line($"- first preview page within 300 ms, read from the stored extract: **{Median(preview):F0} ms** (header and first page, fresh process; {Verdict(Median(preview) <= 300)})");
        var single = Of(rows, "pass").Select(m => (double)(m.PeakRssBytes - m.StartRssBytes)).ToList();
        var together = _measurements.Where(x => x.M.Name == "runs").Select(x => (double)(x.M.PeakRssBytes - x.M.StartRssBytes)).ToList();
        if (together.Count > 0 && single.Count > 0)
            line($"- {options.Runs} runs at once need no more than {options.Runs} × one run's memory: **{Median(together) / MB:F0} MB** added for {options.Runs} vs {options.Runs} × {Median(single) / MB:F0} MB ({Verdict(Median(together) <= options.Runs * Median(single))})");
        var withApp = _measurements.Where(x => x.M.Name == "runs+app").Select(x => x.M).ToList();
        if (withApp.Count > 0)
        {
            var slowest = withApp.Max(m => Math.Max(m.Figures!["page_max_ms"], m.Figures!["preview_max_ms"]));
            line($"- with {options.Runs} runs of {rows:N0} rows going, every page request answered within 1 s: slowest **{slowest:F0} ms** of every /runs and preview request ({Verdict(slowest <= 1000)})");
            if (slowest > 1000)
                line($"  - why not: /runs took {Median(withApp.Select(m => m.Figures!["page_median_ms"])):F0} ms at the median and {Median(withApp.Select(m => m.Figures!["page_p95_ms"])):F0} ms at the 95th percentile against {Median(withApp.Select(m => m.Figures!["page_idle_median_ms"])):F0} ms idle: the {options.Runs} passes keep every core busy, and the load average went from {_loadAtStart} to {LoadAverage()} while the bench ran");
        }
        else line($"- page requests while runs go: not measured (`--no-app`)");
        var closes = _measurements.Where(x => x.M.Name == "close").Select(x => x.M).ToList();
        if (closes.Count > 0)
        {
            var close = Median(closes.Select(m => m.Seconds));
            line($"- a whole period close on the demo lake ({PeriodClose.Control}, {PeriodClose.Period}: every IPE and the reconciliation, default worker concurrency) within 60 s: **{close:F1} s** ({Verdict(close <= 60 && closes.All(c => c.Figures!["runs_succeeded"] == c.Figures!["runs"]))}; {PeriodClose.Describe(closes)}; {Median(closes.Select(m => m.CpuSeconds)):F1} s of processor time, start-up of the process included)");
        }
        else if (CloseFailures.Count == 0) line($"- period close: not measured (`--no-app`: the demo lake is the app's)");
        foreach (var failure in CloseFailures) line($"- a whole period close within 60 s: **NOT met**, it did not finish: {failure}");
    }

#if DEBUG
    private const string Build = "**Debug build: not comparable, run with -c Release**";
#else
    private const string Build = "Release build";
#endif

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    private IEnumerable<BenchMeasurement> Of(long rows, string name) => _measurements.Where(x => x.Rows == rows && x.M.Name == name).Select(x => x.M);

    private double Median(long rows, string name, Func<BenchMeasurement, double> figure) => Median(Of(rows, name).Select(figure));

    private static double Median(IEnumerable<double> values) => ConcurrentRuns.Percentile(values.ToList(), 0.5);

    private static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string CpuModel() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static long MemTotalBytes() => long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static string OsName() => File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux"
        : RuntimeInformation.OSDescription;
}
