using System.Globalization;
using System.Security.Cryptography;
using SoxAuto.Web.Cli.Bench;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run -c Release --project SoxAuto.Web -- bench [--rows 100000,1000000,5000000] [--out DIR]
/// [--repeat 3] [--runs 4] [--no-app]</c>: measures the evidence pass over synthetic G/L extracts, part
/// by part and whole, next to two limits on the same file on the same machine (<c>sha256sum</c> and
/// <c>gzip -1</c>), and a sample drawn from it by each method; then the preview of the ~1M-row extract and several runs at once (with the web app
/// answering pages meanwhile) and a whole period close on the demo lake. Every figure comes from its own child process. Prints a Markdown report
/// and writes it to DIR/bench-results.md (docs/performance.md records it).
/// </summary>
public static class BenchCommand
{
    public const string Verb = "bench";

    public static bool Matches(CommandLine command) => command.Verb is Verb or ChildProcess.Verb;

    /// <summary>The host's options (<c>dotnet run</c> passes <c>--environment</c> and <c>--urls</c>) play
    /// no part: the benchmark starts the web app itself, on a port of its own.</summary>
    public static async Task<int> RunAsync(CommandLine command)
    {
        var args = command.VerbArgs.ToArray();
        if (command.Verb == ChildProcess.Verb) return await BenchChild.RunAsync(args);
        if (!BenchOptions.TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync("Usage: bench [--rows 100000,1000000,5000000] [--out DIR] [--repeat 3] [--runs 4] [--no-app]");
            return 2;
        }

        var report = new BenchReport(options);
        Directory.CreateDirectory(options.Out);
        var extracts = options.Rows.Select(rows => PrepareExtract(options.Out, rows)).ToList();
        report.Extracts.AddRange(extracts);
        var previewExtract = extracts.MinBy(e => Math.Abs(e.Rows - 1_000_000))!;

        for (var rep = 1; rep <= options.Repeat; rep++)
        {
            foreach (var extract in extracts)
            {
                foreach (var stage in BenchChild.Stages)
                    report.Add(extract.Rows, await InWorkDirAsync(options.Out, work => ChildProcess.MeasureAsync("stage", stage, extract.Path, work)));
                report.Add(extract.Rows, await ChildProcess.TimeToolAsync("sha256sum", "sha256sum", extract.Path, extract.Rows));
                report.Add(extract.Rows, await ChildProcess.TimeToolAsync("gzip -1", "gzip -1 -c", extract.Path, extract.Rows));
                foreach (var method in SamplingBench.Methods)
                    report.Add(extract.Rows, await ChildProcess.MeasureAsync("sample", method.ToString(), extract.Path));
                Progress($"repetition {rep}: {extract.Rows:N0} rows measured");
            }
            report.Add(previewExtract.Rows, await ChildProcess.MeasureAsync("preview", previewExtract.Path));
            var runs = options.Runs.ToString(CultureInfo.InvariantCulture);
            report.Add(previewExtract.Rows, await InWorkDirAsync(options.Out, work => ChildProcess.MeasureAsync("runs", runs, previewExtract.Path, work)));
            if (options.App)
            {
                var appData = Path.Combine(options.Out, "app-data"); // kept: the demo lake is generated once
                report.Add(previewExtract.Rows, await InWorkDirAsync(options.Out, work => ChildProcess.MeasureAsync("runs", runs, previewExtract.Path, work, appData)));
                // The app's first start above generated the demo lake, so the close times the close alone.
                try
                {
                    report.Add(0, await PeriodClose.MeasureAsync(appData));
                    Progress($"repetition {rep}: period close of {PeriodClose.Control} for {PeriodClose.Period} measured");
                }
                catch (InvalidOperationException e)
                {
                    report.CloseFailures.Add(e.Message); // reported as the target not met, with the reason
                    Progress(e.Message);
                }
            }
            Progress($"repetition {rep} of {options.Repeat} done");
        }

        var markdown = report.Render();
        Console.Out.Write(markdown);
        await File.WriteAllTextAsync(Path.Combine(options.Out, "bench-results.md"), markdown);
        Progress($"written to {Path.Combine(options.Out, "bench-results.md")}");
        return 0;
    }

    private static BenchExtract PrepareExtract(string folder, long rows)
    {
        var path = Path.Combine(folder, $"gl-{rows}.csv");
        var seconds = 0.0;
        if (!File.Exists(path) || !File.Exists(GlExtract.ControlPath(path)))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            GlExtract.Write(path, rows);
            seconds = watch.Elapsed.TotalSeconds;
        }
        using var file = File.OpenRead(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        Progress($"extract {rows:N0} rows: {file.Length / 1048576.0:F1} MiB, SHA-256 {sha256}");
        return new BenchExtract(rows, path, file.Length, sha256, seconds);
    }

    /// <summary>A fresh folder for what a measurement writes (a copy, a workbook), deleted after it.</summary>
    private static async Task<BenchMeasurement> InWorkDirAsync(string folder, Func<string, Task<BenchMeasurement>> measure)
    {
        var work = Directory.CreateDirectory(Path.Combine(folder, "work-" + Guid.NewGuid().ToString("N"))).FullName;
        try { return await measure(work); }
        finally { Directory.Delete(work, recursive: true); }
    }

    private static void Progress(string message) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[bench {DateTime.Now:HH:mm:ss}] {message}"));
}

public sealed record BenchExtract(long Rows, string Path, long Bytes, string Sha256, double GeneratedSeconds);

public sealed record BenchOptions(IReadOnlyList<long> Rows, string Out, int Repeat, int Runs, bool App)
{
    public static bool TryParse(string[] args, out BenchOptions options, out string error)
    {
        options = new BenchOptions([100_000, 1_000_000, 5_000_000], Path.Combine(Path.GetTempPath(), "soxauto-bench"), 3, 4, true);
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--rows" when value is not null && value.Split(',').All(r => long.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0):
                    options = options with { Rows = value.Split(',').Select(r => long.Parse(r, CultureInfo.InvariantCulture)).ToList() };
                    i++;
                    break;
                case "--out" when value is not null:
                    options = options with { Out = Path.GetFullPath(value) };
                    i++;
                    break;
                case "--repeat" when int.TryParse(value, CultureInfo.InvariantCulture, out var repeat) && repeat > 0:
                    options = options with { Repeat = repeat };
                    i++;
                    break;
                case "--runs" when int.TryParse(value, CultureInfo.InvariantCulture, out var runs) && runs > 0:
                    options = options with { Runs = runs };
                    i++;
                    break;
                case "--no-app":
                    options = options with { App = false };
                    break;
                default:
                    error = $"Unexpected argument '{args[i]}'.";
                    return false;
            }
        }
        return true;
    }
}
