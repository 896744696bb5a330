using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Extract;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>The stored extract, its SHA-256, and what is left on disk when the pass fails.</summary>
public sealed class EvidenceWriterTests : IDisposable
{
    private static readonly (string, string)[] Columns = [("id", "bigint"), ("name", "varchar")];
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static string Csv(int rows)
    {
        var csv = new StringBuilder("\"id\",\"name\"\n");
        for (var i = 1; i <= rows; i++) csv.Append($"\"{i}\",\"name {i}, with \"\"quotes\"\"\"\n");
        return csv.ToString();
    }

    [Fact]
    public async Task Stored_extract_is_byte_identical_and_its_SHA256_matches_an_independent_hash()
    {
        var csv = "\"id\",\"name\"\n\"1\",\"Société ₦\"\n\"2\",\n\"3\",\"\"\n\"4\",\"a\r\nb\"\n";
        var delivered = Encoding.UTF8.GetBytes(csv);

        var result = await _kit.WriteAsync(csv, Columns);

        var stored = await File.ReadAllBytesAsync(_kit.ExtractPath);
        Assert.Equal(delivered, stored);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(delivered)), result.ExtractSha256);
        Assert.Equal(delivered.Length, result.ExtractBytes);
        Assert.Equal(4, result.RowCount);
    }

    [Fact]
    public async Task Workbook_SHA256_and_size_are_those_of_the_stored_xlsx_file()
    {
        var result = await _kit.WriteAsync(Csv(3), Columns);

        var bytes = await File.ReadAllBytesAsync(_kit.WorkbookPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.WorkbookSha256);
        Assert.Equal(bytes.Length, result.WorkbookBytes);
        Assert.Equal(["IPE_09_2025-09_run-12.csv", "IPE_09_2025-09_run-12.xlsx"], _kit.FilesLeft().Order());
    }

    [Fact]
    public async Task A_check_plugged_into_the_pass_sees_every_row_and_its_outcome_is_in_the_evidence()
    {
        var check = new RowsCountedCheck();

        var result = await new EvidenceWriter().WriteAsync(_kit.Request(), EvidenceTestKit.Result(Csv(7), Columns),
            [.. EvidenceTestKit.Checks(), check], null, CancellationToken.None);

        Assert.Equal(["Workbook rows equal extract rows", .. EvidenceTestKit.Checks().Select(c => c.Name), "Rows counted"],
            result.Checks.Select(c => c.Name));
        Assert.Equal(new CheckOutcome("Rows counted", CheckStatus.Passed, "7", "7", "Asked for after the pass."), result.Checks[^1] with { Duration = null });
        Assert.NotNull(result.Checks[^1].Duration); // a check fed by the pass takes the pass's time
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Equal(["Rows counted", "Passed", "7", "7", "Asked for after the pass."],
            book.Rows("Checks")[^1].Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(WorkbookReadBack.Text).Take(5));
    }

    [Fact]
    public async Task Extract_delivered_in_small_pieces_is_stored_and_hashed_whole()
    {
        var delivered = Encoding.UTF8.GetBytes(Csv(2_000));
        var result = await new EvidenceWriter().WriteAsync(_kit.Request(),
            EvidenceTestKit.Result(new TrickleStream(delivered, chunk: 777), Columns), EvidenceTestKit.Checks(), null, CancellationToken.None);

        Assert.Equal(delivered, await File.ReadAllBytesAsync(_kit.ExtractPath));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(delivered)), result.ExtractSha256);
        Assert.Equal(2_000, result.RowCount);
    }

    [Fact]
    public async Task Progress_reports_rows_as_they_are_read_and_the_final_count()
    {
        var reports = new List<long>();
        await _kit.WriteAsync(Csv(10_000), Columns, progress: new SynchronousProgress(reports.Add));
        Assert.True(reports.Count >= 3, $"only {reports.Count} reports");
        Assert.Equal(10_000, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public async Task Cancellation_deletes_the_partial_files_and_throws_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var reads = 0;
        var source = new TrickleStream(Encoding.UTF8.GetBytes(Csv(20_000)), chunk: 4096, onRead: () => { if (++reads == 20) cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new EvidenceWriter().WriteAsync(_kit.Request(), EvidenceTestKit.Result(source, Columns), EvidenceTestKit.Checks(), null, cts.Token));

        Assert.True(reads >= 20);
        Assert.Empty(_kit.FilesLeft());
    }

    [Fact]
    public async Task A_source_that_fails_midway_leaves_no_files_and_its_error_propagates()
    {
        var source = new TrickleStream(Encoding.UTF8.GetBytes(Csv(20_000)), chunk: 4096, failAfterBytes: 100_000);

        var e = await Assert.ThrowsAsync<IOException>(() =>
            new EvidenceWriter().WriteAsync(_kit.Request(), EvidenceTestKit.Result(source, Columns), EvidenceTestKit.Checks(), null, CancellationToken.None));

        Assert.Equal("The connection to the engine was lost.", e.Message);
        Assert.Empty(_kit.FilesLeft());
    }

    [Fact]
    public async Task A_full_disk_propagates_as_IOException_and_leaves_no_files()
    {
        Assert.True(File.Exists("/dev/full"), "this test needs Linux's /dev/full (every write fails with ENOSPC)");
        File.CreateSymbolicLink(_kit.ExtractPath + ".partial", "/dev/full");

        await Assert.ThrowsAsync<IOException>(() => _kit.WriteAsync(Csv(20_000), Columns));

        Assert.Empty(_kit.FilesLeft());
    }

    [Fact]
    public async Task A_full_disk_while_writing_the_workbook_propagates_as_IOException_and_leaves_no_files()
    {
        Assert.True(File.Exists("/dev/full"), "this test needs Linux's /dev/full (every write fails with ENOSPC)");
        File.CreateSymbolicLink(_kit.WorkbookPath + ".partial", "/dev/full");

        await Assert.ThrowsAsync<IOException>(() => _kit.WriteAsync(Csv(50_000), Columns));

        Assert.Empty(_kit.FilesLeft());
    }

    [Fact]
    public async Task A_malformed_extract_is_rejected_and_leaves_no_files()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _kit.WriteAsync("\"id\",\"name\"\n\"1\",\"open\n", Columns));
        Assert.Contains("not terminated", e.Message);
        Assert.Empty(_kit.FilesLeft());
    }

    [Fact]
    public async Task A_header_that_does_not_match_the_engine_columns_is_rejected()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _kit.WriteAsync("\"id\",\"other\"\n\"1\",\"x\"\n", Columns));
        Assert.Contains("does not match the engine's columns", e.Message);
        Assert.Empty(_kit.FilesLeft());
    }

    /// <summary>A new check is one class: it counts the rows it is shown and, asked after the last one
    /// (awaiting, as a check waiting for a control query would), compares with the count at the end.</summary>
    private sealed class RowsCountedCheck : ICheck
    {
        private long _rows, _end = -1;

        public string Name => "Rows counted";
        public void Begin(ExtractHeader header) { }
        public void Row(IExtractRow row) => _rows++;
        public void End(long rows) => _end = rows;

        public async ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct)
        {
            await Task.Yield();
            var status = _end == _rows ? CheckStatus.Passed : CheckStatus.Failed;
            return new(Name, status, _end.ToString(CultureInfo.InvariantCulture), _rows.ToString(CultureInfo.InvariantCulture),
                _end < 0 ? "Asked for before the end of the pass." : "Asked for after the pass.");
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records in order, at once.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
