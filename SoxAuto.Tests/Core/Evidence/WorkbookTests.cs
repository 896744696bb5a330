using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>The workbook as DocumentFormat.OpenXml (an independent reader) sees it.</summary>
public sealed class WorkbookTests : IDisposable
{
    internal static readonly (string, string)[] GlColumns =
    [
        ("entry_no", "bigint"), ("gl_account_no", "varchar"), ("posting_date", "date"), ("description", "varchar"),
        ("amount", "decimal(18,2)"), ("created_at", "timestamp"), ("is_reversal", "boolean"), ("rate", "double"),
    ];

    internal const string GlCsv =
        "\"entry_no\",\"gl_account_no\",\"posting_date\",\"description\",\"amount\",\"created_at\",\"is_reversal\",\"rate\"\n"
        + "\"1\",\"13003\",\"2025-09-01\",\"=SUM(A1:A2)\",\"1234.50\",\"2025-09-01 08:30:15.250\",\"true\",\"0.5\"\n"
        + "\"2\",\"13004\",\"2025-09-30\",\"+plain\",\"-0.05\",\"2025-09-30 23:59:59.999\",\"false\",\"1.0E10\"\n"
        + "\"3\",,\"2025-09-15\",\"\",\"12345678901234567.89\",\"2025-09-15 00:00:00\",\"false\",\n"
        + "\"9007199254740993\",\"13009\",,\"@x\",\"0.00\",,,\"NaN\"\n";

    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private async Task<(EvidenceResult Result, WorkbookReadBack Book)> WriteGl(CheckSettings? checks = null)
    {
        var result = await _kit.WriteAsync(GlCsv, GlColumns, checks);
        return (result, new WorkbookReadBack(_kit.WorkbookPath));
    }

    private static double Serial(DateOnly d) => d.DayNumber - new DateOnly(1899, 12, 30).DayNumber;

    [Fact]
    public async Task Sheets_are_Evidence_Query_Data_Checks_Columns_in_that_order()
    {
        var (_, book) = await WriteGl();
        using (book) Assert.Equal(["Evidence", "Query", "Data", "Checks", "Columns"], book.SheetNames);
    }

    [Fact]
    public async Task Data_cells_are_typed_from_the_Athena_column_types()
    {
        var (_, book) = await WriteGl();
        using var _ = book;

        var entryNo = book.Cell("Data", "A2")!;
        Assert.Null(entryNo.DataType);
        Assert.Equal("1", entryNo.CellValue!.Text);

        var account = book.Cell("Data", "B2")!; // varchar digits stay text: account numbers are names, not amounts
        Assert.Equal(CellValues.InlineString, account.DataType!.Value);
        Assert.Equal("13003", WorkbookReadBack.Text(account));

        var posting = book.Cell("Data", "C2")!;
        Assert.Null(posting.DataType);
        Assert.Equal(Serial(new DateOnly(2025, 9, 1)), double.Parse(posting.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("yyyy-mm-dd", book.FormatCode(posting));

        var amount = book.Cell("Data", "E2")!;
        Assert.Null(amount.DataType);
        Assert.Equal("1234.50", amount.CellValue!.Text);
        Assert.Equal("0.00", book.FormatCode(amount));

        var created = book.Cell("Data", "F2")!;
        var expected = Serial(new DateOnly(2025, 9, 1)) + (8 * 3600 + 30 * 60 + 15.25) / 86400;
        Assert.Equal(expected, double.Parse(created.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal("yyyy-mm-dd hh:mm:ss.000", book.FormatCode(created));

        var reversal = book.Cell("Data", "G2")!;
        Assert.Equal(CellValues.Boolean, reversal.DataType!.Value);
        Assert.Equal("1", reversal.CellValue!.Text);

        Assert.Equal("10000000000", book.Cell("Data", "H3")!.CellValue!.Text);
    }

    [Fact]
    public async Task Text_that_looks_like_a_formula_stays_text()
    {
        var (_, book) = await WriteGl();
        using var _ = book;
        foreach (var (reference, text) in new[] { ("D2", "=SUM(A1:A2)"), ("D3", "+plain"), ("D5", "@x") })
        {
            var cell = book.Cell("Data", reference)!;
            Assert.Equal(CellValues.InlineString, cell.DataType!.Value);
            Assert.Null(cell.CellFormula);
            Assert.Equal(text, WorkbookReadBack.Text(cell));
        }
        Assert.Empty(book.Sheet("Data").Descendants<CellFormula>());
    }

    [Fact]
    public async Task NULL_is_no_cell_and_the_empty_string_is_an_empty_text_cell()
    {
        var (_, book) = await WriteGl();
        using var _ = book;
        Assert.Null(book.Cell("Data", "B4"));  // gl_account_no NULL
        Assert.Null(book.Cell("Data", "H4"));  // rate NULL
        var empty = book.Cell("Data", "D4")!;  // description ""
        Assert.Equal(CellValues.InlineString, empty.DataType!.Value);
        Assert.Equal("", WorkbookReadBack.Text(empty));
    }

    [Fact]
    public async Task Numbers_an_Excel_number_cannot_hold_are_text_with_every_digit_and_flagged()
    {
        var (result, book) = await WriteGl();
        using var _ = book;

        var bigAmount = book.Cell("Data", "E4")!;
        Assert.Equal(CellValues.InlineString, bigAmount.DataType!.Value);
        Assert.Equal("12345678901234567.89", WorkbookReadBack.Text(bigAmount));
        var bigEntry = book.Cell("Data", "A5")!; // above 2^53
        Assert.Equal("9007199254740993", WorkbookReadBack.Text(bigEntry));

        var amount = result.Columns.Single(c => c.Name == "amount");
        Assert.True(amount.TextInWorkbook);
        Assert.Equal("12345678901235802.34", amount.Sum);
        Assert.Equal("-0.05", amount.Min);
        Assert.Equal("12345678901234567.89", amount.Max);
        Assert.True(result.Columns.Single(c => c.Name == "entry_no").TextInWorkbook);
        Assert.Equal("9007199254740999", result.Columns.Single(c => c.Name == "entry_no").Sum);
        Assert.False(result.Columns.Single(c => c.Name == "posting_date").TextInWorkbook);

        var note = WorkbookReadBack.Text(book.Cell("Columns", "G6"))!; // amount is the 5th column
        Assert.Contains("more than 15 significant digits", note);
    }

    [Fact]
    public async Task Data_header_is_bold_frozen_and_filtered_over_the_used_range()
    {
        var (_, book) = await WriteGl();
        using var _ = book;
        var header = book.Rows("Data")[0].Elements<Cell>().ToArray();
        Assert.Equal(GlColumns.Select(c => c.Item1), header.Select(WorkbookReadBack.Text));
        Assert.All(header, c => Assert.True(book.IsBold(c)));

        var pane = book.Sheet("Data").Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1, pane.VerticalSplit!.Value);
        Assert.Equal("A1:H5", book.Sheet("Data").GetFirstChild<AutoFilter>()!.Reference!.Value);
        Assert.Equal(5, book.Rows("Data").Length);
    }

    [Fact]
    public async Task Rows_past_the_sheet_limit_continue_on_Data_2_and_Data_3_with_exact_totals()
    {
        var csv = "\"n\"\n" + string.Concat(Enumerable.Range(1, 10).Select(i => $"\"{i}\"\n"));
        var result = await _kit.WriteAsync(csv, [("n", "integer")], maxRowsPerSheet: 4);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);

        Assert.Equal(["Evidence", "Query", "Data", "Data 2", "Data 3", "Checks", "Columns"], book.SheetNames);
        Assert.Equal(3, result.DataSheets);
        Assert.Equal(10, result.RowCount);
        Assert.Equal([5, 5, 3], new[] { "Data", "Data 2", "Data 3" }.Select(s => book.Rows(s).Length));
        Assert.Equal("n", WorkbookReadBack.Text(book.Cell("Data 2", "A1")));
        Assert.Equal("5", WorkbookReadBack.Text(book.Cell("Data 2", "A2")));
        Assert.Equal("10", WorkbookReadBack.Text(book.Cell("Data 3", "A3")));
        Assert.Equal("A1:A3", book.Sheet("Data 3").GetFirstChild<AutoFilter>()!.Reference!.Value);
        Assert.Equal("55", result.Columns.Single().Sum);
        var completeness = result.Checks[0];
        Assert.Equal(("10", "10"), (completeness.Expected, completeness.Actual));
    }

    [Fact]
    public async Task An_extract_without_rows_still_has_a_Data_sheet_with_its_header()
    {
        var result = await _kit.WriteAsync("\"a\",\"b\"\n", [("a", "varchar"), ("b", "date")]);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Equal(0, result.RowCount);
        Assert.Equal(1, result.DataSheets);
        Assert.Single(book.Rows("Data"));
        Assert.Equal("A1:B1", book.Sheet("Data").GetFirstChild<AutoFilter>()!.Reference!.Value);
    }

    [Fact]
    public async Task Control_characters_do_not_break_the_file_and_are_written_with_Excels_escape()
    {
        var csv = "\"t\"\n\"bell\u0007 and nul\u0000 end\"\n\"_x0041_ stays literal\"\n\"  padded  \"\n";
        await _kit.WriteAsync(csv, [("t", "varchar")]);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);

        Assert.Equal("bell_x0007_ and nul_x0000_ end", WorkbookReadBack.Text(book.Cell("Data", "A2")));
        Assert.Equal("_x005F_x0041_ stays literal", WorkbookReadBack.Text(book.Cell("Data", "A3")));
        Assert.Equal("  padded  ", WorkbookReadBack.Text(book.Cell("Data", "A4")));
        Assert.Empty(new OpenXmlValidator().Validate(book.WorkbookPart.OpenXmlPackage));
    }

    [Fact]
    public async Task Text_reads_back_exactly_markup_characters_carriage_returns_and_any_script_included()
    {
        string[] values = ["a<b>&c \r\n d", "EC_NG _x12 x_", "Société ₦ 😀", "\uFF21\uFF22 fullwidth", "tab\tend\t", " lead"];
        var csv = "\"t\"\n" + string.Concat(values.Select(v => $"\"{v}\"\n"));
        await _kit.WriteAsync(csv, [("t", "varchar")]);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);

        Assert.Equal(values, values.Select((_, i) => WorkbookReadBack.Text(book.Cell("Data", $"A{i + 2}"))));
    }

    [Fact]
    public async Task Invalid_UTF8_in_the_extract_shows_as_the_replacement_character()
    {
        byte[] bytes = [.. "\"t\"\n\"a"u8, 0xC3, 0x28, .. "b\"\n"u8];
        await new EvidenceWriter().WriteAsync(_kit.Request(), EvidenceTestKit.Result(new MemoryStream(bytes), ("t", "varchar")), EvidenceTestKit.Checks(), null, CancellationToken.None);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);

        Assert.Equal("a\uFFFD(b", WorkbookReadBack.Text(book.Cell("Data", "A2")));
    }

    [Fact]
    public async Task Workbook_is_valid_SpreadsheetML_per_the_OpenXml_validator()
    {
        var (_, book) = await WriteGl(new CheckSettings { RequiredColumns = ["entry_no"], DateColumn = "posting_date" });
        using var _ = book;
        var errors = new OpenXmlValidator().Validate(book.WorkbookPart.OpenXmlPackage)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Evidence_sheet_lists_the_facts_then_rows_SHA256_file_and_check_summary()
    {
        var (result, book) = await WriteGl();
        using var _ = book;
        var lines = book.Rows("Evidence").ToDictionary(
            r => WorkbookReadBack.Text(r.Elements<Cell>().First())!,
            r => r.Elements<Cell>().ElementAt(1));

        Assert.Equal(["IPE", "Title", "Run"], lines.Keys.Take(3));
        Assert.Equal("IPE_09", WorkbookReadBack.Text(lines["IPE"]));
        Assert.Null(lines["Rows"].DataType); // a number
        Assert.Equal("4", lines["Rows"].CellValue!.Text);
        Assert.Equal(result.ExtractSha256, WorkbookReadBack.Text(lines["Extract SHA-256"]));
        Assert.Equal("IPE_09_2025-09_run-12.csv", WorkbookReadBack.Text(lines["Extract file"]));
        Assert.Equal("1 passed, 0 failed, 0 error, 7 not run", WorkbookReadBack.Text(lines["Checks"]));
        Assert.Contains("sha256sum IPE_09_2025-09_run-12.csv", WorkbookReadBack.Text(lines["How to verify the extract"]));
    }

    [Fact]
    public async Task Query_sheet_keeps_the_SQL_exactly_as_executed_and_lists_the_parameters()
    {
        const string sql = "SELECT *\r\n  FROM \"sales\"  \n\nWHERE d <= DATE '2025-09-30' -- \u0001 odd\n\tAND x = '=1'";
        var result = await new EvidenceWriter().WriteAsync(_kit.Request(sql: sql),
            EvidenceTestKit.Result("\"a\"\n\"1\"\n", ("a", "integer")), EvidenceTestKit.Checks(), null, CancellationToken.None);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);

        var rows = book.Rows("Query");
        var sqlLines = rows.Skip(1).TakeWhile(r => r.Elements<Cell>().Any())
            .Select(r => WorkbookReadBack.Text(r.Elements<Cell>().ElementAt(1))!.Replace("_x0001_", "\u0001"));
        Assert.Equal(sql, string.Join("\n", sqlLines));

        var parameters = rows.SkipWhile(r => WorkbookReadBack.Text(r.Elements<Cell>().FirstOrDefault()) != "Parameter").Skip(1)
            .Select(r => string.Join("|", r.Elements<Cell>().Select(WorkbookReadBack.Text))).ToList();
        Assert.Equal(["period_end|Date|2025-09-30", "companies|TextList|EC_NG, JD_GH"], parameters);
        Assert.Equal(1, result.RowCount);
    }

    [Fact]
    public async Task Checks_and_Columns_sheets_show_every_outcome_and_profile()
    {
        var (result, book) = await WriteGl(new CheckSettings { RequiredColumns = ["gl_account_no"], DateColumn = "posting_date" });
        using var _ = book;

        var checks = book.Rows("Checks").Skip(1).Select(r => r.Elements<Cell>().Select(WorkbookReadBack.Text).ToArray()).ToList();
        Assert.Equal(result.Checks.Select(c => c.Name), checks.Select(c => c[0]));
        var statuses = checks.ToDictionary(c => c[0]!, c => c[1]!);
        Assert.Equal(("Passed", "Failed", "Failed"),
            (statuses["Workbook rows equal extract rows"], statuses["Required columns have no NULLs"], statuses["Every posting_date inside the period"]));
        Assert.All(statuses.Where(s => s.Key is not ("Workbook rows equal extract rows" or "Required columns have no NULLs" or "Every posting_date inside the period")),
            s => Assert.Equal("Not run", s.Value)); // nothing declared for them: never Passed

        var columns = book.Rows("Columns").Skip(1).Select(r => r.Elements<Cell>().ToArray()).ToList();
        Assert.Equal(GlColumns.Select(c => c.Item1), columns.Select(c => WorkbookReadBack.Text(c[0])));
        var account = columns[1];
        Assert.Equal("1", WorkbookReadBack.Text(account[2])); // NULLs
        Assert.Equal("13003", WorkbookReadBack.Text(account[3]));
        Assert.Equal("13009", WorkbookReadBack.Text(account[4]));
        var description = columns[3];
        Assert.Equal("(empty string)", WorkbookReadBack.Text(description[3])); // the min is "", a value, not a blank
    }
}
