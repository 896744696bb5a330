using System.Globalization;
using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core.Reconciliations;

/// <summary>
/// A reconciliation's evidence workbook: the Reconciliation sheet first (every line, outside its threshold
/// first), then Inputs (the runs it read with their extracts' SHA-256, the thresholds' version, the closing
/// rates) and Method (how each figure is computed). Written with the evidence workbook writer.
/// </summary>
public static class ReconciliationWorkbook
{
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, string>> facts, IReadOnlyList<ReconciliationLine> lines,
        IReadOnlyList<ReconciliationInput> inputs, ControlVersion control)
    {
        using var package = new WorkbookPackage(path);
        SummarySheets.Table(package, 1, "Reconciliation", [10, 10, 9, 12, 9, 8, 18, 18, 18, 14, 10, 14, 12, 14],
            ["G/L account", "Company", "Currency", "IPE", "Sign", "IPE rows", "IPE total", "G/L balance", "Difference", "Threshold", "Status",
             "USD rate", "Rate of", "Difference (USD)"],
            lines.Select(l => new SummaryCell[]
            {
                l.GlAccount, l.Company, l.Currency, l.Ipes, l.Sign, SummaryCell.Of(l.IpeRows), SummaryCell.Of(Cents(l.IpeTotal)),
                SummaryCell.Of(Cents(l.GlBalance)), SummaryCell.Of(Cents(l.Difference)), SummaryCell.Of(Cents(l.Threshold)),
                l.Outside ? SummaryCell.Bold("outside") : "within", SummaryCell.Of(l.UsdRate), l.UsdRateDate, SummaryCell.Of(Cents(l.DifferenceUsd)),
            }), filter: true);

        var rows = new List<SummaryCell[]>();
        foreach (var fact in facts) rows.Add([SummaryCell.Bold(fact.Key), SummaryCell.Wrapped(fact.Value)]);
        rows.Add([]);
        rows.Add([SummaryCell.Bold("Runs used"), SummaryCell.Bold("Role"), SummaryCell.Bold("IPE version"), SummaryCell.Bold("Run"),
                  SummaryCell.Bold("Run by"), SummaryCell.Bold("Finished (UTC)"), SummaryCell.Bold("Rows"), SummaryCell.Bold("Extract SHA-256")]);
        foreach (var i in inputs)
            rows.Add([i.IpeId, ReconciliationInput.Describe(i.Role), SummaryCell.Of(i.IpeVersionNumber), $"run-{i.InputRunId}", i.RunBy,
                      UtcTime.Text(i.FinishedAt), SummaryCell.Of(i.Rows), i.ExtractSha256]);
        rows.Add([]);
        rows.Add([SummaryCell.Bold("Thresholds"), SummaryCell.Wrapped(
            $"{control.ControlId} version {control.Number}, approved by {control.ApprovedBy} at {UtcTime.Text(control.ApprovedAt)}; "
            + $"default {ControlDefinition.Amount(control.Definition.DefaultThreshold)} in each company's currency")]);
        foreach (var t in control.Definition.Thresholds)
            rows.Add([$"{t.GlAccount} {t.Company}", SummaryCell.Of(Cents(t.Amount)), SummaryCell.Wrapped(t.Reason)]);
        rows.Add([]);
        rows.Add([SummaryCell.Bold("Closing rates"), SummaryCell.Bold("Currency"), SummaryCell.Bold("Local per 1 USD"), SummaryCell.Bold("Rate of")]);
        foreach (var r in lines.GroupBy(l => l.Company).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First()))
            rows.Add([r.Company, r.Currency, SummaryCell.Of(r.UsdRate), r.UsdRateDate]);
        SummarySheets.Table(package, 2, "Inputs", [22, 40, 12, 12, 22, 26, 10, 70], header: null, rows);

        SummarySheets.Table(package, 3, "Method", [28, 120], ["Figure", "How it is computed"],
            Method.Select(m => new[] { SummaryCell.Bold(m.Key), SummaryCell.Wrapped(m.Value) }));
        package.Finish();
    }

    /// <summary>Amounts with at least their two decimals, as a ledger shows them.</summary>
    private static decimal Cents(decimal value) => value.Scale >= 2 ? value : value + 0.00m;

    public static IReadOnlyList<KeyValuePair<string, string>> Method { get; } =
    [
        new("IPE total", "The sum, in exact decimal arithmetic, of the supporting IPE's amount column over the rows of its stored extract "
            + "(the file whose SHA-256 is on the Inputs sheet) for this company and G/L account. The IPE's reconciliation mapping names the "
            + "amount, company and G/L account columns (or the one account every row belongs to). It is shown as the IPE lists it."),
        new("G/L balance", "The balance column of CR_04 (G/L balances at the cutoff) for this company and account, from its stored extract."),
        new("Sign", "Same: the IPE total is the G/L balance (assets). Opposite: the IPE lists what is owed as positive amounts, and the G/L "
            + "keeps the liability as a credit (negative) balance, so the IPE total is minus the G/L balance."),
        new("Difference", "G/L balance − (IPE total with the sign applied): what the G/L holds that the IPE does not support. Zero when they agree."),
        new("Threshold", "The control's threshold for this account and company in the company's currency, from the control version on the Inputs "
            + "sheet (a line of its own, or the default). Thresholds change only through a draft that a second admin approves."),
        new("Status", "within when the difference, either way, is at most the threshold; outside when it is larger. A difference outside must be explained."),
        new("USD rate", "CR_05's closing rate of the company's currency to USD at the cutoff (local currency per 1 USD; the rate of the cutoff day "
            + "or of the last business day before it)."),
        new("Difference (USD)", "The difference divided by the USD rate, rounded to the cent (half away from zero). For comparison only: the "
            + "status is judged in local currency."),
        new("What it does not prove", "That the G/L itself is right, that the IPEs list everything (their completeness and accuracy checks are "
            + "on each IPE run's own evidence), or why a difference exists: a timing difference between the sub-ledger and the G/L, a manual "
            + "journal and a misposting all show the same way. See docs/reconciliation.md."),
    ];

    public static string Number(decimal value) => Cents(value).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
