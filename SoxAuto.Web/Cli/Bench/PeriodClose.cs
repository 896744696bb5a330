using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// A whole period close on the demo lake, as an operator starts it: the <c>run-control C-PG-1 --period
/// 2025-09</c> verb in a process of its own on the bench's app data folder (every approved IPE of the
/// control, <c>SoxAuto:WorkerConcurrency</c> at its default, then the reconciliation). Timed from the
/// process's start to its end, start-up included. The demo lake's two planted differences make the
/// reconciliation report lines outside their threshold (exit code 3): that is a finished close.
/// </summary>
public static class PeriodClose
{
    public const string Control = "C-PG-1", Period = "2025-09";

    public static async Task<BenchMeasurement> MeasureAsync(string appData)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        // The verb's JSON, then the shell's `times` (its children's processor time on the second line).
        start.ArgumentList.Add("\"$@\"; rc=$?; echo; times; exit $rc");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { RunControlCommand.Verb, Control, "--period", Period, $"--SoxAuto:DataPath={appData}" }) start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        watch.Stop();
        // The verb's indented JSON object, then the two lines of `times`.
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = lines.Length > 2 && lines[0].StartsWith('{') ? string.Join('\n', lines[..^2]) : null;
        // 0: every run succeeded and the control reconciles; 3: every run succeeded, some line outside its threshold.
        if (process.ExitCode is not (0 or 3) || json is null)
            throw new InvalidOperationException($"{RunControlCommand.Verb} {Control} --period {Period} exited with {process.ExitCode}: {await stderr}");

        using var result = JsonDocument.Parse(json);
        var runs = result.RootElement.GetProperty("runs").EnumerateArray().ToList();
        var figures = new Dictionary<string, double>
        {
            ["runs"] = runs.Count,
            ["runs_succeeded"] = runs.Count(r => r.GetProperty("status").GetString() == "Succeeded"),
            ["rows"] = runs.Sum(r => r.GetProperty("rows").ValueKind == JsonValueKind.Number ? r.GetProperty("rows").GetInt64() : 0),
            ["reconciled"] = result.RootElement.GetProperty("reconciliation").ValueKind == JsonValueKind.Object ? 1 : 0,
            ["exit_code"] = process.ExitCode,
        };
        var cpu = ChildProcess.ChildrenCpuSeconds(string.Join('\n', lines[^2..]));
        return new BenchMeasurement("close", (long)figures["rows"], watch.Elapsed.TotalSeconds, cpu, 0, 0, figures);
    }

    /// <summary>Time of the close, with what it did, for the report.</summary>
    public static string Describe(IReadOnlyList<BenchMeasurement> closes) => string.Create(CultureInfo.InvariantCulture,
        $"{closes[0].Figures!["runs_succeeded"]:F0} of {closes[0].Figures!["runs"]:F0} runs succeeded ({closes[0].Rows:N0} rows), reconciliation {(closes[0].Figures!["reconciled"] > 0 ? "run" : "NOT run")}, exit code {closes[0].Figures!["exit_code"]:F0}");
}
