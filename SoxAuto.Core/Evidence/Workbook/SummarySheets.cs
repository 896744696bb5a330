using System.Globalization;
using System.IO.Compression;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>A cell of a summary sheet: text, a whole number when <see cref="Number"/> is set, or an amount
/// shown with its decimals when <see cref="Amount"/> is.</summary>
internal readonly record struct SummaryCell(string? Text, long? Number = null, int Style = Styles.Plain, decimal? Amount = null)
{
    public static implicit operator SummaryCell(string? text) => new(text);
    public static SummaryCell Bold(string text) => new(text, null, Styles.Bold);
    public static SummaryCell Wrapped(string text) => new(text, null, Styles.Wrapped);
    public static SummaryCell Of(long number) => new(null, number);
    public static SummaryCell Of(decimal amount) => new(null, null, Styles.Plain, amount);
}

/// <summary>The sheets written after the pass: Evidence, Query, Checks and Columns.</summary>
internal static class SummarySheets
{
    public static void Evidence(WorkbookPackage package, int position, IEnumerable<KeyValuePair<string, SummaryCell>> lines)
        => Table(package, position, "Evidence", [34, 110], header: null,
            lines.Select(l => new[] { SummaryCell.Bold(l.Key), l.Value }));

    /// <summary>The SQL one line per row, so that joining column B's rows with \n gives back the exact
    /// text (a single cell would hit Excel's 32,767-character limit); then the parameter table.</summary>
    public static void Query(WorkbookPackage package, int position, string executedSql, IReadOnlyList<ParameterValue> parameters)
    {
        var rows = new List<SummaryCell[]>();
        var lines = executedSql.Split('\n');
        for (var i = 0; i < lines.Length; i++) rows.Add([SummaryCell.Of(i + 1), lines[i]]);
        rows.Add([]);
        rows.Add([SummaryCell.Bold("Parameter"), SummaryCell.Bold("Type"), SummaryCell.Bold("Value")]);
        if (parameters.Count == 0) rows.Add(["(none)"]);
        foreach (var p in parameters) rows.Add([p.Name, p.Type.ToString(), p.Display]);
        Table(package, position, "Query", [24, 120, 40], header: ["Line", "SQL as executed"], rows, freeze: false);
    }

    /// <summary>One row per check, with what an auditor needs to reperform it: the rule, or the control
    /// query exactly as executed, and the engine's execution id.</summary>
    public static void Checks(WorkbookPackage package, int position, IReadOnlyList<CheckOutcome> checks)
        => Table(package, position, "Checks", [44, 10, 40, 40, 90, 90, 38, 12],
            header: ["Check", "Status", "Expected", "Actual", "Detail", "Rule or control query (as executed)", "Execution id", "Duration (ms)"],
            checks.Select(c => new[]
            {
                SummaryCell.Wrapped(c.Name), StatusText(c.Status), SummaryCell.Wrapped(c.Expected),
                SummaryCell.Wrapped(c.Actual), SummaryCell.Wrapped(c.Detail), SummaryCell.Wrapped(c.Rule), c.ExecutionId,
                c.Duration is { } d ? SummaryCell.Of((long)Math.Round(d.TotalMilliseconds)) : "",
            }), filter: true);

    public static void Columns(WorkbookPackage package, int position, IReadOnlyList<(ColumnProfile Profile, string Note)> columns)
        => Table(package, position, "Columns", [28, 16, 10, 26, 26, 26, 70], header: ["Column", "Type", "NULLs", "Min", "Max", "Sum", "Note"],
            columns.Select(c => new[]
            {
                (SummaryCell)c.Profile.Name, c.Profile.Type, SummaryCell.Of(c.Profile.Nulls),
                Shown(c.Profile.Min), Shown(c.Profile.Max), c.Profile.Sum, SummaryCell.Wrapped(c.Note),
            }), filter: true);

    /// <summary>An empty cell would read as "no value"; the empty string is a value.</summary>
    private static string? Shown(string? value) => value == "" ? "(empty string)" : value;

    /// <summary>An amount as an Excel number with its decimals shown; beyond the 15 digits a number keeps, as text.</summary>
    private static void Amount(WorksheetXml sheet, Styles styles, int column, decimal amount)
    {
        var text = amount.ToString(CultureInfo.InvariantCulture);
        if (text.Count(char.IsAsciiDigit) > 15)
            sheet.Text(column, text);
        else
            sheet.Number(column, System.Text.Encoding.ASCII.GetBytes(text), styles.ForDecimalScale(amount.Scale));
    }

    public static string StatusText(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "Passed",
        CheckStatus.Failed => "Failed",
        CheckStatus.Error => "Error",
        _ => "Not run",
    };

    /// <summary>A sheet of rows under an optional bold header; other workbooks (the access review) write theirs with it too.</summary>
    internal static void Table(WorkbookPackage package, int position, string name, double[] widths, string[]? header,
        IEnumerable<SummaryCell[]> rows, bool freeze = true, bool filter = false)
    {
        using var sheet = package.StartSheet(position, widths, freezeHeader: header is not null && freeze, CompressionLevel.Optimal);
        long r = 0;
        if (header is not null)
        {
            sheet.StartRow(++r);
            for (var i = 0; i < header.Length; i++) sheet.Text(i, header[i], Styles.Bold);
            sheet.EndRow();
        }
        foreach (var row in rows)
        {
            sheet.StartRow(++r);
            for (var i = 0; i < row.Length; i++)
            {
                var cell = row[i];
                if (cell.Number is { } n) sheet.Number(i, n, cell.Style);
                else if (cell.Amount is { } a) Amount(sheet, package.Styles, i, a);
                else if (cell.Text is not null) sheet.Text(i, cell.Text, cell.Style);
            }
            sheet.EndRow();
        }
        var range = filter && header is not null
            ? "A1:" + WorksheetXml.ColumnName(header.Length - 1) + Math.Max(r, 1).ToString(CultureInfo.InvariantCulture)
            : null;
        sheet.Finish(range);
        package.AddSheet(position, name, range);
    }
}
