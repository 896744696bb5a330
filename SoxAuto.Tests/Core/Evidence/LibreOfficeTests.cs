using System.Diagnostics;
using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>A second, independent spreadsheet program reads the evidence workbook: LibreOffice Calc (Debian's
/// <c>libreoffice-calc-nogui</c>, installed by ./test.sh) converts every sheet of a workbook written with
/// parallel compression to CSV, and the Data sheet gives back the extract's rows and values.</summary>
public sealed class LibreOfficeTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static string Row(long i) => string.Create(CultureInfo.InvariantCulture,
        $"\"{1_000_000 + i}\",{(i % 50 == 7 ? "" : $"\"Ünïcode, \"\"quoted\"\" {i}\"")},\"{i % 997}.{i % 100:00}\",\"2025-09-{1 + i % 30:00}\",\"{(i % 2 == 0 ? "true" : "false")}\"");

    [Fact]
    public async Task LibreOffice_opens_the_evidence_workbook_and_reads_every_row_of_the_Data_sheet()
    {
        const long rows = 40_000; // several 512 KiB compression blocks in the Data sheet
        var source = new SyntheticExtract("\"entry_no\",\"description\",\"amount\",\"posting_date\",\"is_reversal\"", rows, Row);
        var evidence = await new EvidenceWriter { CompressionWorkers = 3 }.WriteAsync(_kit.Request(),
            EvidenceTestKit.Result(source, ("entry_no", "bigint"), ("description", "varchar"), ("amount", "decimal(18,2)"), ("posting_date", "date"), ("is_reversal", "boolean")),
            EvidenceTestKit.Checks(new CheckSettings { KeyColumns = ["entry_no"] }), null, CancellationToken.None);

        var sheets = await ConvertEverySheetAsync(_kit.WorkbookPath);

        Assert.Equal(["Checks", "Columns", "Data", "Evidence", "Query"], sheets.Keys.Order());
        var data = sheets["Data"];
        Assert.Equal(rows + 1, data.Count);
        Assert.Equal(["entry_no", "description", "amount", "posting_date", "is_reversal"], data[0]);
        foreach (var i in new long[] { 1, 7, 57, rows / 2, rows }) // the synthetic extract's rows count from 1, as the sheet's do
        {
            var cells = data[(int)i];
            Assert.Equal((1_000_000 + i).ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(i % 50 == 7 ? "" : $"Ünïcode, \"quoted\" {i}", cells[1]);   // SQL NULL: an empty cell
            Assert.Equal((i % 997) + (i % 100) / 100m, decimal.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"2025-09-{1 + i % 30:00}"), cells[3]); // a date cell, shown as ISO 8601
            Assert.Equal(i % 2 == 0 ? "TRUE" : "FALSE", cells[4]);                                          // a boolean cell
        }
        // The Evidence sheet is read too: it names the extract's SHA-256 that the package records.
        Assert.Contains(sheets["Evidence"], r => r.Contains(evidence.ExtractSha256));
    }

    /// <summary>Every sheet as rows of cells, by sheet name, read from the CSV files LibreOffice writes
    /// (one per sheet: the filter's 12th option, -1). Values are exported raw (not as formatted).</summary>
    private async Task<Dictionary<string, List<string[]>>> ConvertEverySheetAsync(string workbook)
    {
        var output = Directory.CreateDirectory(Path.Combine(_kit.Folder, "libreoffice")).FullName;
        // A profile of its own: no first-start dialogs, and no clash with another soffice on the machine.
        var profile = new Uri(Directory.CreateDirectory(Path.Combine(_kit.Folder, "profile")).FullName).AbsoluteUri;
        var start = new ProcessStartInfo("soffice",
        [
            $"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1",
            "--outdir", output, workbook,
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var soffice = Process.Start(start)!;
        var stdout = soffice.StandardOutput.ReadToEndAsync();
        var stderr = soffice.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await soffice.WaitForExitAsync(timeout.Token);
        Assert.True(soffice.ExitCode == 0, $"soffice exited with {soffice.ExitCode}: {await stdout} {await stderr}");

        var stem = Path.GetFileNameWithoutExtension(workbook) + "-";
        var files = Directory.GetFiles(output, "*.csv");
        Assert.True(files.Length > 0, $"LibreOffice wrote no CSV: {await stdout} {await stderr}");
        var sheets = new Dictionary<string, List<string[]>>();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file)[stem.Length..];
            await using var csv = File.OpenRead(file);
            sheets[name] = Csv(csv);
        }
        return sheets;
    }

    /// <summary>LibreOffice's CSV rows, read with .NET's own RFC 4180 parser (the extract's reader wants a header
    /// row of names, which the Evidence sheet's first row is not).</summary>
    private static List<string[]> Csv(Stream stream)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(stream) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (parser.ReadFields() is { } fields) rows.Add(fields);
        return rows;
    }
}
