using System.Diagnostics;
using System.Globalization;
using System.Text;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;
using Xunit.Abstractions;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>A fact that runs only when SOXAUTO_BENCHMARK=1, so the normal test run stays quick.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SOXAUTO_BENCHMARK") != "1")
            Skip = "Benchmark: run with SOXAUTO_BENCHMARK=1";
    }
}

/// <summary>
/// The whole evidence pass over 1M G/L-entry-like rows x 10 columns, against gzip -1 over the same
/// extract. Figures go to the test output (run with --logger "console;verbosity=detailed"); no
/// timing is asserted. Results are recorded in docs/decisions/workbook-writer.md.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class EvidencePassBenchmark(ITestOutputHelper output) : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static readonly (string, string)[] Columns =
    [
        ("entry_no", "bigint"), ("gl_account_no", "varchar"), ("document_no", "varchar"), ("description", "varchar"),
        ("company_code", "varchar"), ("posting_date", "date"), ("amount", "decimal(18,2)"), ("vat_amount", "decimal(18,2)"),
        ("created_at", "timestamp"), ("is_reversal", "boolean"),
    ];

    [BenchmarkFact]
    public async Task Whole_pass_for_one_million_GL_rows()
    {
        const int rows = 1_000_000;
        var source = Path.Combine(_kit.Folder, "source.csv");
        WriteGlExtract(source, rows);
        var gzipSeconds = Time(() => Run("sh", $"-c \"gzip -1 -c '{source}' > /dev/null\""));
        var sha256sumSeconds = Time(() => Run("sh", $"-c \"sha256sum '{source}' > /dev/null\""));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rssBefore = ResetPeakRss();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        EvidenceResult result;
        await using (var csv = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            var request = _kit.Request(new CheckSettings { RequiredColumns = ["entry_no", "gl_account_no"], DateColumn = "posting_date" });
            result = await new EvidenceWriter().WriteAsync(request, EvidenceTestKit.Result(csv, Columns), null, CancellationToken.None);
        }
        watch.Stop();
        var peak = ReadStatusKb("VmHWM") * 1024;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(rows, result.RowCount);
        var seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            rows {rows:N0} x {Columns.Length} columns; extract {result.ExtractBytes / 1048576.0:F1} MiB; workbook {result.WorkbookBytes / 1048576.0:F1} MiB
            whole pass     {seconds:F2} s  ({rows / seconds:N0} rows/s, {result.ExtractBytes / 1048576.0 / seconds:F0} MiB/s)
            gzip -1        {gzipSeconds:F2} s  (pass / gzip = {seconds / gzipSeconds:F2}x)
            sha256sum      {sha256sumSeconds:F2} s
            peak RSS       {peak / 1048576.0:F0} MB (process RSS before the pass {rssBefore / 1048576.0:F0} MB)
            allocated      {allocated / 1048576.0:F0} MB managed during the pass
            checks         {string.Join("; ", result.Checks.Select(c => $"{c.Name}: {c.Status}"))}
            """));
    }

    /// <summary>A deterministic G/L-entry-like extract in Athena's dialect (about 1 in 50 values NULL).</summary>
    internal static void WriteGlExtract(string path, int rows)
    {
        var random = new Random(20250930);
        string[] accounts = ["13003", "13004", "13009", "18412", "18350", "18304", "13005"];
        string[] companies = ["EC_NG", "JD_GH", "EC_IC", "HF_SN", "EC_KE", "JD_UG", "JD_DZ", "JM_EG", "EC_MA"];
        string[] words = ["Sales order", "Refund", "Voucher", "Cash \"COD\" collection", "Marketplace fee, seller", "FX revaluation", "Prepayment"];
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.Write(string.Join(",", Columns.Select(c => $"\"{c.Item1}\"")) + "\n");
        var start = new DateOnly(2025, 9, 1);
        var line = new StringBuilder();
        for (var i = 1; i <= rows; i++)
        {
            line.Clear();
            var date = start.AddDays(random.Next(30));
            Quoted(line, i.ToString(CultureInfo.InvariantCulture)).Append(',');
            Quoted(line, accounts[random.Next(accounts.Length)]).Append(',');
            Quoted(line, random.Next(50) == 0 ? null : "DOC-" + random.Next(1_000_000).ToString("D7", CultureInfo.InvariantCulture)).Append(',');
            Quoted(line, words[random.Next(words.Length)] + " " + random.Next(100_000).ToString(CultureInfo.InvariantCulture)).Append(',');
            Quoted(line, companies[random.Next(companies.Length)]).Append(',');
            Quoted(line, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',');
            Quoted(line, Money(random, 10_000_000)).Append(',');
            Quoted(line, random.Next(50) == 0 ? null : Money(random, 1_000_000)).Append(',');
            Quoted(line, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " "
                + TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(random.Next(86_400_000))).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(',');
            Quoted(line, random.Next(10) == 0 ? "true" : "false").Append('\n');
            writer.Write(line);
        }
    }

    private static string Money(Random random, int units)
        => (random.Next(-units, units) + random.Next(100) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static StringBuilder Quoted(StringBuilder line, string? value)
        => value is null ? line : line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>Resets Linux's peak-RSS counter (VmHWM) to the current RSS and returns that.</summary>
    private static long ResetPeakRss()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return ReadStatusKb("VmRSS") * 1024;
    }

    private static long ReadStatusKb(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
