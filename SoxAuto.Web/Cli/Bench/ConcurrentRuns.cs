using System.Diagnostics;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// Several whole evidence passes at once in one process, as the run worker would execute them. With
/// the web app started in the same process, a signed-in page (/runs) and the first preview page are
/// requested every quarter second meanwhile: the time each takes shows whether the UI stalls.
/// </summary>
public static class ConcurrentRuns
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<BenchMeasurement> MeasureAsync(int runs, string extract, string workDir, string? appData)
    {
        var figures = new Dictionary<string, double> { ["runs"] = runs };
        await using var app = appData is null ? null : await AppUnderLoad.StartAsync(appData, figures);
        var idle = new List<double>();
        if (app is not null)
            for (var i = 0; i < 10; i++) idle.Add(await app.ProbeAsync());

        // Start-up (the app, the demo lake) is not what is measured: the peak starts from here.
        ProcessMemory.ResetPeak();
        var startRss = ProcessMemory.RssBytes;
        var runSeconds = new double[runs];
        var cpu = ChildProcess.CpuSeconds;
        var watch = Stopwatch.StartNew();
        var passes = Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
        {
            var own = Stopwatch.StartNew();
            var rows = await BenchChild.WholePassAsync(extract, workDir, $"run-{i + 1}", CancellationToken.None);
            runSeconds[i] = own.Elapsed.TotalSeconds;
            return rows;
        })).ToArray();
        var all = Task.WhenAll(passes);

        var pages = new List<double>();
        var previews = new List<double>();
        var preview = new ExtractPreview();
        while (!all.IsCompleted)
        {
            if (app is not null)
            {
                pages.Add(await app.ProbeAsync());
                var p = Stopwatch.StartNew();
                await preview.ReadPageAsync(extract, 0, 25, CancellationToken.None);
                previews.Add(p.Elapsed.TotalMilliseconds);
            }
            await Task.WhenAny(all, Task.Delay(ProbeEvery));
        }
        var rows = (await all).Sum();
        watch.Stop();
        cpu = ChildProcess.CpuSeconds - cpu;

        figures["slowest_run_s"] = runSeconds.Max();
        if (app is not null)
        {
            figures["page_idle_median_ms"] = Percentile(idle, 0.5);
            figures["page_probes"] = pages.Count;
            figures["page_median_ms"] = Percentile(pages, 0.5);
            figures["page_p95_ms"] = Percentile(pages, 0.95);
            figures["page_max_ms"] = pages.Count == 0 ? 0 : pages.Max();
            figures["preview_median_ms"] = Percentile(previews, 0.5);
            figures["preview_max_ms"] = previews.Count == 0 ? 0 : previews.Max();
        }
        return new BenchMeasurement(app is null ? "runs" : "runs+app", rows, watch.Elapsed.TotalSeconds, cpu, ProcessMemory.PeakRssBytes, startRss, figures);
    }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }
}
