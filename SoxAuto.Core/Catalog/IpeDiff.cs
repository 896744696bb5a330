using System.Globalization;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace SoxAuto.Core.Catalog;

/// <summary>A side-by-side, line-by-line comparison of two IPE versions: the SQL, and the other settings
/// written one per line (so a changed setting is a changed line too).</summary>
public sealed record IpeDiff(string LeftTitle, string RightTitle, SideBySideDiffModel Sql, SideBySideDiffModel Settings)
{
    public bool HasChanges => Sql.NewText.HasDifferences || Settings.NewText.HasDifferences;

    /// <summary>The changed lines as (line number on the left or null, text) for removed/changed, and
    /// (line number on the right, text) for added/changed: what a reviewer reads.</summary>
    public static IReadOnlyList<(int? OldLine, string? OldText, int? NewLine, string? NewText)> Changes(SideBySideDiffModel model) =>
        model.OldText.Lines.Zip(model.NewText.Lines)
            .Where(p => p.First.Type != ChangeType.Unchanged || p.Second.Type != ChangeType.Unchanged)
            .Select(p => (p.First.Position, p.First.Type == ChangeType.Imaginary ? null : p.First.Text,
                          p.Second.Position, p.Second.Type == ChangeType.Imaginary ? null : p.Second.Text))
            .ToList();

    public static IpeDiff Of(IpeVersion? left, IpeVersion right) => Of(
        left?.Definition, right.Definition,
        left is null ? "(nothing: a new IPE)" : Title(left), Title(right));

    public static IpeDiff Of(IpeDefinition? left, IpeDefinition right, string leftTitle, string rightTitle)
    {
        var builder = new SideBySideDiffBuilder(new Differ());
        return new IpeDiff(leftTitle, rightTitle,
            builder.BuildDiffModel(Normal(left?.Sql ?? ""), Normal(right.Sql), ignoreWhitespace: false),
            builder.BuildDiffModel(left is null ? "" : SettingsText(left), SettingsText(right), ignoreWhitespace: false));
    }

    /// <summary>Settings alone (no SQL), e.g. two versions of a control's thresholds.</summary>
    public static IpeDiff OfSettings(string leftTitle, string rightTitle, string left, string right)
    {
        var builder = new SideBySideDiffBuilder(new Differ());
        return new IpeDiff(leftTitle, rightTitle, builder.BuildDiffModel("", ""), builder.BuildDiffModel(left, right, ignoreWhitespace: false));
    }

    private static string Title(IpeVersion v) => string.Create(CultureInfo.InvariantCulture, $"Version {v.Number} ({v.Status}, by {v.AuthoredBy})");

    private static string Normal(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Every setting but the SQL, one per line, in a fixed order.</summary>
    public static string SettingsText(IpeDefinition d)
    {
        var lines = new List<string>
        {
            $"Id: {d.Id}",
            $"Title: {d.Title}",
            $"Description: {d.Description}",
            $"Control: {d.Control}",
            $"Owner: {d.Owner}",
            $"G/L accounts: {string.Join(", ", d.GlAccounts)}",
            $"Athena database: {d.Database}",
            $"Results location: {d.OutputLocation ?? "(the configured one)"}",
            $"Typical rows: {d.TypicalRows?.ToString(CultureInfo.InvariantCulture) ?? ""}",
        };
        foreach (var p in d.Parameters)
            lines.Add($"Parameter {p.Name}: {p.Type}, {(p.Required ? "required" : "optional")}, pattern {p.Pattern ?? "(none)"}, default {p.Default ?? "(none)"}");
        var c = d.Checks;
        lines.Add($"Required columns: {string.Join(", ", c.RequiredColumns)}");
        lines.Add($"Key columns: {string.Join(", ", c.KeyColumns)}");
        lines.Add($"Amount columns: {string.Join(", ", c.AmountColumns)}");
        lines.Add($"Date column: {c.DateColumn ?? ""} ({c.DateBound})");
        foreach (var q in c.ControlTotalQueries)
            lines.Add($"Control-total query {q.Name}: {q.Sql.ReplaceLineEndings(" ")}");
        foreach (var w in c.WitnessRecords)
            lines.Add($"Witness ({(w.MustBePresent ? "must be present" : "must be absent")}{(w.Period is null ? "" : $" in {w.Period}")}) {w.Description}: {string.Join(", ", w.Key.Select(k => $"{k.Key}={k.Value}"))}");
        if (d.Reconciliation is { } r)
            lines.Add($"Reconciliation to the G/L: total of {r.AmountColumn} per {r.CompanyColumn} and {(r.GlAccountColumn is null ? $"account {r.GlAccount}" : r.GlAccountColumn)}, sign {r.Sign}");
        return string.Join('\n', lines);
    }
}
