using System.Diagnostics;
using SoxAuto.Core.Procedures.Sampling;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// Sampling over each bench extract (<c>bench-child sample METHOD EXTRACT</c>): the product's own streaming
/// draw (<see cref="SampleDraw"/>, what the run page's Samples and the <c>sample</c> verb run over a stored
/// extract) of 25 rows, 25 selections on <c>amount</c>, or 25 rows per <c>company_code</c>, seed 42. Its
/// target is the evidence pass's memory target: at most 250 MB at every size, and flat (at most 10% growth).
/// </summary>
public static class SamplingBench
{
    public static readonly SampleMethod[] Methods = [SampleMethod.Random, SampleMethod.MonetaryUnit, SampleMethod.Stratified];

    private const int Size = 25;
    private const double MB = 1e6;

    public static string NameOf(SampleMethod method) => "sample " + method;

    public static async Task<BenchMeasurement> MeasureAsync(string method, string extract)
    {
        var spec = new SampleSpec(Enum.Parse<SampleMethod>(method), Size, Seed: 42, AmountColumn: "amount", StratumColumn: "company_code");
        var startRss = ProcessMemory.RssBytes;
        var cpu = ChildProcess.CpuSeconds;
        var watch = Stopwatch.StartNew();
        var drawn = await SampleDraw.DrawAsync(
            _ => Task.FromResult<Stream>(new FileStream(extract, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true)),
            spec, CancellationToken.None);
        watch.Stop();
        if (drawn.Rows.Count == 0) throw new InvalidOperationException($"The {method} sample of {extract} drew no rows.");
        return new BenchMeasurement(NameOf(spec.Method), drawn.PopulationRows, watch.Elapsed.TotalSeconds, ChildProcess.CpuSeconds - cpu,
            ProcessMemory.PeakRssBytes, startRss, new() { ["rows_drawn"] = drawn.Rows.Count });
    }

    /// <summary>A table of every draw, then the memory target met or not (nothing when the bench drew none).</summary>
    public static void Render(IReadOnlyList<(long Rows, BenchMeasurement M)> measurements, Func<IEnumerable<double>, double> median, Action<FormattableString> line)
    {
        var draws = measurements.Where(x => x.M.Name.StartsWith("sample ", StringComparison.Ordinal)).ToList();
        if (draws.Count == 0) return;
        var sizes = draws.Select(x => x.Rows).Distinct().Order().ToList();
        line($"");
        line($"## Sampling ({Size} rows, {Size} selections, or {Size} rows per company; seed 42; fresh process each)");
        line($"| rows | method | time | CPU time | rows drawn | peak RSS |");
        line($"| ---: | --- | ---: | ---: | ---: | ---: |");
        var peaks = new List<(long Rows, SampleMethod Method, double Peak)>();
        foreach (var rows in sizes)
            foreach (var method in Methods)
            {
                var all = draws.Where(x => x.Rows == rows && x.M.Name == NameOf(method)).Select(x => x.M).ToList();
                if (all.Count == 0) continue;
                var peak = median(all.Select(m => (double)m.PeakRssBytes));
                peaks.Add((rows, method, peak));
                line($"| {rows:N0} | {method} | {median(all.Select(m => m.Seconds)):F2} s | {median(all.Select(m => m.CpuSeconds)):F2} s | {median(all.Select(m => m.Figures!["rows_drawn"])):F0} | {peak / MB:F0} MB |");
            }
        var highest = peaks.MaxBy(p => p.Peak);
        line($"");
        line($"- sampling within the memory target, at most 250 MB at every size: **{highest.Peak / MB:F0} MB** ({highest.Method} at {highest.Rows:N0} rows; {(highest.Peak <= 250 * MB ? "met" : "NOT met")})");
        if (sizes.Count > 1)
        {
            var growth = Methods.Where(m => peaks.Any(p => p.Method == m && p.Rows == sizes[^1]) && peaks.Any(p => p.Method == m && p.Rows == sizes[0]))
                .Select(m => (Method: m, Growth: peaks.Single(p => p.Method == m && p.Rows == sizes[^1]).Peak / peaks.Single(p => p.Method == m && p.Rows == sizes[0]).Peak - 1))
                .MaxBy(g => g.Growth);
            line($"- sampling memory flat from {sizes[0]:N0} to {sizes[^1]:N0} rows (at most 10% growth): **{growth.Growth * 100:+0.0;-0.0}%** at most ({growth.Method}; {(growth.Growth <= 0.10 ? "met" : "NOT met")})");
        }
    }
}
