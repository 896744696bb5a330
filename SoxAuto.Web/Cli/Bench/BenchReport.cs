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

    private void RenderTargets(Action<FormattableString> line)
    {
        var oneMillion = Extracts.MinBy(e => Math.Abs(e.Rows - 1_000_000));
        if (oneMillion is null) return;
        line($"");
        line($"## Targets");
        var ratio = Median(oneMillion.Rows, "pass", m => m.Seconds) / Median(oneMillion.Rows, "gzip -1", m => m.Seconds);
        var cpuRatio = Median(oneMillion.Rows, "pass", m => m.CpuSeconds) / Median(oneMillion.Rows, "gzip -1", m => m.CpuSeconds);
        line($"- whole pass, {oneMillion.Rows:N0} rows, within 3× `gzip -1`: **{ratio:F2}×** wall time ({Verdict(ratio <= 3)}); processor time {cpuRatio:F2}×");
        var peak = Median(oneMillion.Rows, "pass", m => m.PeakRssBytes);
        line($"- peak memory of that pass at most 250 MB: **{peak / MB:F0} MB** ({Verdict(peak <= 250 * MB)})");
        var (small, large) = (Extracts.MinBy(e => e.Rows)!, Extracts.MaxBy(e => e.Rows)!);
        if (small != large)
        {
            var growth = Median(large.Rows, "pass", m => m.PeakRssBytes) / Median(small.Rows, "pass", m => m.PeakRssBytes) - 1;
            line($"- memory flat from {small.Rows:N0} to {large.Rows:N0} rows (at most 10% growth): **{growth * 100:+0.0;-0.0}%** ({Verdict(growth <= 0.10)})");
        }
        var preview = _measurements.Where(x => x.M.Name == "preview").Select(x => x.M.Figures!["opening_ms"]).ToList();
        if (preview.Count > 0)
            line($"- first preview page within 300 ms, read from the stored extract: **{Median(preview):F0} ms** (header and first page, fresh process; {Verdict(Median(preview) <= 300)})");
        var single = Of(oneMillion.Rows, "pass").Select(m => (double)(m.PeakRssBytes - m.StartRssBytes)).ToList();
        var together = _measurements.Where(x => x.M.Name == "runs").Select(x => (double)(x.M.PeakRssBytes - x.M.StartRssBytes)).ToList();
        if (together.Count > 0 && single.Count > 0)
            line($"- {options.Runs} runs at once need no more than {options.Runs} × one run's memory: **{Median(together) / MB:F0} MB** added for {options.Runs} vs {options.Runs} × {Median(single) / MB:F0} MB ({Verdict(Median(together) <= options.Runs * Median(single))})");
        var pages = _measurements.Where(x => x.M.Name == "runs+app").Select(x => x.M.Figures!["page_max_ms"]).ToList();
        if (pages.Count > 0)
            line($"- a page answers within a second while they run: slowest **{pages.Max():F0} ms** ({Verdict(pages.Max() <= 1000)})");
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
