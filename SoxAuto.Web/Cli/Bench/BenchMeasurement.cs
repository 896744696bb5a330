using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>What one child process measured: wall time of its work, the rows it handled, and its
/// memory (Linux's peak resident set, VmHWM, and the resident set before the work began).</summary>
/// <param name="CpuSeconds">Processor time (user and system, all threads) spent on the work: on a
/// shared machine it moves less than the wall time.</param>
public sealed record BenchMeasurement(string Name, long Rows, double Seconds, double CpuSeconds, long PeakRssBytes, long StartRssBytes,
    Dictionary<string, double>? Figures = null);

/// <summary>Memory of this process as Linux counts it, from /proc/self/status.</summary>
public static class ProcessMemory
{
    public static long PeakRssBytes => StatusKb("VmHWM") * 1024;
    public static long RssBytes => StatusKb("VmRSS") * 1024;

    /// <summary>Sets the peak (VmHWM) back to the current resident set, so that what came before
    /// (starting the app) is not counted.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long StatusKb(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}

/// <summary>The resident set's peak while a pass reads its rows, apart from what the end of the pass adds
/// (the checks' outcomes, the summary sheets, closing the workbook): sampled every 50 ms and at each of
/// the pass's progress reports, the last of which comes after the last row and before the end. Beside it,
/// the managed heap's committed bytes (as of the GC's latest collection), part of that resident set.
/// Sampling allocates nothing per sample (one open <c>/proc/self/statm</c>, one buffer): reading
/// /proc/self/status line by line did, 25 MB over a 5M-row pass, and the GC's committed memory grew
/// with it, so that the measurement itself made memory look less flat (docs/performance.md).</summary>
public sealed class RowsReadMemory : IProgress<long>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SafeFileHandle _statm = File.OpenHandle("/proc/self/statm");
    private readonly byte[] _text = new byte[256];
    private readonly Timer _timer;
    private long _most, _mostCommitted;

    public RowsReadMemory() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

    /// <summary>The most the resident set held up to the last progress report.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>The most the GC had committed through the whole pass (sampled until disposed).</summary>
    public long PassCommittedBytes
    {
        get
        {
            Sample();
            lock (_gate) return _mostCommitted;
        }
    }

    public void Report(long rows)
    {
        Sample();
        lock (_gate) PeakBytes = _most;
    }

    private void Sample()
    {
        var committed = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        lock (_gate)
        {
            if (_statm.IsClosed) return;
            _most = Math.Max(_most, ResidentBytes());
            _mostCommitted = Math.Max(_mostCommitted, committed);
        }
    }

    /// <summary>statm's second field: resident pages (read again from the start, the kernel renders it anew).</summary>
    private long ResidentBytes()
    {
        var text = _text.AsSpan(0, RandomAccess.Read(_statm, _text, 0));
        text = text[(text.IndexOf((byte)' ') + 1)..];
        Utf8Parser.TryParse(text, out long pages, out _);
        return pages * Environment.SystemPageSize;
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate) _statm.Dispose();
    }
}

/// <summary>Runs a measurement in a fresh process of this same program (the hidden <c>bench-child</c>
/// verb), so that each figure has its own peak memory and no warm caches from the one before.</summary>
public static class ChildProcess
{
    public const string Verb = "bench-child";

    public static async Task<BenchMeasurement> MeasureAsync(params string[] args)
    {
        // Under `dotnet run` this is the app host; under `dotnet SoxAuto.Web.dll` it is dotnet itself.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add(Verb);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || last is null)
            throw new InvalidOperationException($"bench-child {string.Join(' ', args)} exited with {process.ExitCode}: {output}");
        return JsonSerializer.Deserialize<BenchMeasurement>(last)!;
    }

    /// <summary>Times a command line tool (a limit: sha256sum, gzip -1) over a file, output discarded.
    /// The shell's <c>times</c> then reports the tool's processor time.</summary>
    public static async Task<BenchMeasurement> TimeToolAsync(string name, string command, string file, long rows)
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{command} \"$1\" > /dev/null && times");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(file);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var times = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        watch.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {file} exited with {process.ExitCode}");
        return new BenchMeasurement(name, rows, watch.Elapsed.TotalSeconds, ChildrenCpuSeconds(times), 0, 0);
    }

    /// <summary>POSIX <c>times</c> prints the shell's user and system time, then its children's:
    /// <c>0m0.001s 0m0.002s\n0m1.902s 0m0.041s</c>.</summary>
    internal static double ChildrenCpuSeconds(string times)
    {
        var line = times.Split('\n', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        if (line is null) return 0;
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(t =>
        {
            var m = t.IndexOf('m', StringComparison.Ordinal);
            return int.Parse(t[..m], CultureInfo.InvariantCulture) * 60 + double.Parse(t[(m + 1)..^1], CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Processor time of this process so far, all threads.</summary>
    public static double CpuSeconds => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
