using System.Globalization;
using System.Text.RegularExpressions;
using SoxAuto.Core.Catalog;

namespace SoxAuto.Core.Reconciliations;

/// <summary>
/// A control that reconciles its IPEs to the G/L (C-PG-1), as the catalog keeps it: what it is and the
/// thresholds a difference is judged by, in the company's own (local) currency. Which IPEs support it is
/// said by the IPEs themselves (<see cref="IpeDefinition.Control"/> and <see cref="IpeDefinition.Reconciliation"/>).
/// Immutable once saved; a change is a new <see cref="ControlVersion"/> that a second admin approves.
/// </summary>
public sealed partial record ControlDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The threshold of every account and company without a line of its own in <see cref="Thresholds"/>.</summary>
    public decimal DefaultThreshold { get; init; } = 1_000m;
    /// <summary>Thresholds for one account of one company, each with the reason it differs from the default.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>The largest difference, in local currency, that still counts as reconciled.</summary>
    public decimal ThresholdFor(string glAccount, string company) =>
        Thresholds.FirstOrDefault(t => t.GlAccount == glAccount && t.Company == company)?.Amount ?? DefaultThreshold;

    /// <summary>What is wrong with this definition, in words for the admin; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id)) problems.Add("The control needs an id, e.g. C-PG-1.");
        if (string.IsNullOrWhiteSpace(Title)) problems.Add("The control needs a title.");
        if (DefaultThreshold < 0) problems.Add("The default threshold cannot be negative.");
        foreach (var t in Thresholds)
        {
            if (!Account().IsMatch(t.GlAccount ?? "")) problems.Add($"'{t.GlAccount}' is not a G/L account number (5 digits).");
            if (!Company().IsMatch(t.Company ?? "")) problems.Add($"'{t.Company}' is not a company code (like EC_KE).");
            if (t.Amount < 0) problems.Add($"The threshold of {t.Company} {t.GlAccount} cannot be negative.");
            if (decimal.Round(t.Amount, 2) != t.Amount) problems.Add($"The threshold of {t.Company} {t.GlAccount} has more than two decimals.");
            if (string.IsNullOrWhiteSpace(t.Reason)) problems.Add($"Say why {t.Company} {t.GlAccount} has a threshold of its own.");
        }
        foreach (var twice in Thresholds.GroupBy(t => (t.GlAccount, t.Company)).Where(g => g.Count() > 1))
            problems.Add($"{twice.Key.Company} {twice.Key.GlAccount} has more than one threshold.");
        return problems;
    }

    /// <summary>Every setting, one per line in a fixed order: what a reviewer compares between versions.</summary>
    public string SettingsText() => string.Join('\n', new[]
    {
        $"Id: {Id}",
        $"Title: {Title}",
        $"Description: {Description}",
        $"Default threshold (local currency): {Amount(DefaultThreshold)}",
    }.Concat(Thresholds.OrderBy(t => t.GlAccount, StringComparer.Ordinal).ThenBy(t => t.Company, StringComparer.Ordinal)
        .Select(t => $"Threshold {t.GlAccount} {t.Company}: {Amount(t.Amount)} ({t.Reason})")));

    public static string Amount(decimal value) => value.ToString("#,##0.00", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]{5}$")]
    private static partial Regex Account();

    [GeneratedRegex("^[A-Z]{2}_[A-Z]{2}$")]
    private static partial Regex Company();
}

/// <summary>The threshold of one G/L account of one company, in that company's currency.</summary>
public sealed record Threshold(string GlAccount, string Company, decimal Amount, string Reason);

/// <summary>One immutable version of a control's definition; a reconciliation records the version it used.</summary>
public sealed class ControlVersion : CatalogVersion
{
    public int Id { get; set; }
    public required string ControlId { get; set; }
    public required ControlDefinition Definition { get; set; }

    public override string Item => ControlId;
}

/// <summary>The controls SoxAuto ships with (version 1 of each).</summary>
public static class SeedControls
{
    public static IReadOnlyList<ControlDefinition> All { get; } =
    [
        new()
        {
            Id = SeedCatalog.ControlCustomerBalances,
            Title = "Month-end reconciliation of customer-side balance sheet accounts to their supporting reports",
            Description = "Each IPE of the control that maps to the G/L is totalled per G/L account and company and compared with "
                + "the G/L balance at the cutoff (CR_04); a difference above the threshold, in the company's currency, must be explained.",
            DefaultThreshold = 1_000m,
        },
    ];
}
