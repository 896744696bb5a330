using SoxAuto.Web.Cli;
using SoxAuto.Web.Cli.Bench;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>The benchmark's report states each of issue 18's targets as met or NOT met, and says why
/// one is not, from the figures it was given (no timing is measured here).</summary>
public class BenchReportTests
{
    private const long MB = 1_000_000;

    private static BenchReport Report(double passSeconds, double passCpu, long peak5M, double pageMaxMs, double? closeSeconds)
    {
        var options = new BenchOptions([100_000, 1_000_000, 5_000_000], "/tmp/unused", 1, 4, App: true);
        var report = new BenchReport(options);
        foreach (var rows in options.Rows)
        {
            report.Extracts.Add(new BenchExtract(rows, $"gl-{rows}.csv", rows * 134, "0", 0));
            var scale = rows / 1_000_000.0;
            report.Add(rows, new("sha256sum", rows, 0.5 * scale, 0.5 * scale, 0, 0));
            report.Add(rows, new("gzip -1", rows, 1.6 * scale, 1.6 * scale, 0, 0));
            report.Add(rows, new("read", rows, 0.3 * scale, 0.3 * scale, 45 * MB, 30 * MB));
            report.Add(rows, new("hash", rows, 0.4 * scale, 0.4 * scale, 50 * MB, 30 * MB));
            report.Add(rows, new("store", rows, 0.5 * scale, 0.5 * scale, 50 * MB, 30 * MB));
            report.Add(rows, new("checks", rows, 2.0 * scale, 2.2 * scale, 65 * MB, 30 * MB));
            report.Add(rows, new("pass", rows, passSeconds * scale, passCpu * scale, rows == 5_000_000 ? peak5M : 80 * MB, 30 * MB,
                new()
                {
                    ["rows_read_rss_bytes"] = rows == 5_000_000 ? 75 * MB : 70 * MB,
                    ["gc_committed_bytes"] = rows == 5_000_000 ? 16 * MB : 14 * MB,
                    ["jit_methods"] = rows == 5_000_000 ? 2_400 : 1_100,
                }));
        }
        report.Add(1_000_000, new("preview", 1_000_000, 0.03, 0, 40 * MB, 30 * MB, new() { ["opening_ms"] = 30, ["first_page_warm_ms"] = 1, ["middle_page_ms"] = 90, ["last_page_ms"] = 170 }));
        report.Add(1_000_000, new("runs+app", 1_000_000, 20, 25, 300 * MB, 240 * MB, new()
        {
            ["slowest_run_s"] = 19,
            ["page_probes"] = 80,
            ["page_idle_median_ms"] = 15,
            ["page_median_ms"] = 120,
            ["page_p95_ms"] = 600,
            ["page_max_ms"] = pageMaxMs,
            ["preview_median_ms"] = 1,
            ["preview_max_ms"] = 200,
        }));
        if (closeSeconds is { } close)
            report.Add(0, new("close", 1234, close, close * 1.5, 0, 0, new() { ["runs"] = 3, ["runs_succeeded"] = 3, ["rows"] = 1234, ["reconciled"] = 1, ["exit_code"] = 3 }));
        else report.CloseFailures.Add("run-control C-PG-1 --period 2025-09 exited with 1: IPE_09 failed");
        return report;
    }

    private static string Target(string markdown, string start) =>
        markdown.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void Targets_that_are_met_say_met_with_the_ratio_beside_gzip_and_sha256sum()
    {
        var md = Report(passSeconds: 2.0, passCpu: 3.0, peak5M: 82 * MB, pageMaxMs: 400, closeSeconds: 35).Render();

        Assert.Contains("**1.25×** wall time (met)", Target(md, "- whole pass, 1,000,000 rows"));
        Assert.Contains("4.0× `sha256sum`", Target(md, "- whole pass, 1,000,000 rows"));
        Assert.Contains("(met", Target(md, "- memory flat from 100,000 to 5,000,000 rows"));
        Assert.Contains("**400 ms**", Target(md, "- with 4 runs"));
        Assert.Contains("**35.0 s** (met; 3 of 3 runs succeeded", Target(md, "- a whole period close"));
        Assert.DoesNotContain("NOT met", md);
        Assert.DoesNotContain("why not", md);
    }

    [Fact]
    public void Targets_not_met_say_NOT_met_and_why_with_the_stage_figures()
    {
        var md = Report(passSeconds: 4.0, passCpu: 5.5, peak5M: 120 * MB, pageMaxMs: 1_300, closeSeconds: null).Render();

        Assert.Contains("**2.50×** wall time (NOT met)", Target(md, "- whole pass, 1,000,000 rows"));
        var why = Target(md, "  - why not: `gzip -1`");
        Assert.Contains("checks 1.70 s", why);
        Assert.Contains("pass 3.30 s", why);
        Assert.Contains("cannot fall below", why);
        Assert.Contains("NOT met", Target(md, "- memory flat from 100,000 to 5,000,000 rows"));
        var memory = Target(md, "  - why not: the whole pass's peak grows");
        Assert.Contains("grows +0.0% from 100,000 to 1,000,000 rows, +50.0% from 1,000,000 to 5,000,000 rows;", memory);
        Assert.Contains("checks 65 → 65 MB, pass 80 → 120 MB", memory);
        Assert.Contains("while the rows were read the whole pass held at most 70 → 75 MB (+7.1%), and the end of the pass (the checks' outcomes, the summary sheets, closing the workbook) added 10 → 45 MB", memory);
        Assert.Contains("the GC's committed heap was at most 14 → 16 MB of it, the rest of the process (native allocations, libraries' pages, compiled code) 66 → 104 MB", memory);
        Assert.Contains("the JIT compiled 1,100 → 2,400 methods during the pass", memory);
        Assert.Contains("**1300 ms**", Target(md, "- with 4 runs"));
        Assert.Contains("NOT met", Target(md, "- with 4 runs"));
        Assert.Contains("600 ms at the 95th percentile", Target(md, "  - why not: /runs"));
        Assert.Contains("exited with 1: IPE_09 failed", Target(md, "- a whole period close within 60 s: **NOT met**"));
    }

    [Fact]
    public void Sampling_is_tabled_per_size_and_method_and_its_memory_target_says_which_draw_missed_it()
    {
        var report = Report(passSeconds: 2.0, passCpu: 3.0, peak5M: 82 * MB, pageMaxMs: 400, closeSeconds: 35);
        foreach (var rows in new long[] { 100_000, 1_000_000, 5_000_000 })
            foreach (var method in SamplingBench.Methods)
            {
                var peak = method == SoxAuto.Core.Procedures.Sampling.SampleMethod.MonetaryUnit && rows == 5_000_000 ? 260 * MB : 50 * MB;
                report.Add(rows, new(SamplingBench.NameOf(method), rows, 1, 1, peak, 30 * MB, new() { ["rows_drawn"] = 25 }));
            }

        var md = report.Render();

        Assert.Contains("| 5,000,000 | MonetaryUnit | 1.00 s | 1.00 s | 25 | 260 MB |", md);
        Assert.Contains("**260 MB** (MonetaryUnit at 5,000,000 rows; NOT met)", Target(md, "- sampling within the memory target"));
        Assert.Contains("**+420.0%** at most (MonetaryUnit; NOT met)", Target(md, "- sampling memory flat from 100,000 to 5,000,000 rows"));
        Assert.DoesNotContain("sampling", Report(passSeconds: 2.0, passCpu: 3.0, peak5M: 82 * MB, pageMaxMs: 400, closeSeconds: 35).Render());
    }
}
