namespace SoxAuto.Core.Reconciliations;

/// <summary>
/// One G/L account of one company in a reconciliation: what the control's IPEs total for it, what the G/L
/// (CR_04) holds at the cutoff, and the difference judged by the threshold; all in the company's currency,
/// with the USD equivalent of the difference at CR_05's closing rate beside it.
/// </summary>
public sealed class ReconciliationLine
{
    public int Id { get; set; }
    public int RunId { get; set; }
    /// <summary>The order shown: lines outside their threshold first.</summary>
    public int Order { get; set; }
    public required string GlAccount { get; set; }
    public required string Company { get; set; }
    public required string Currency { get; set; }
    /// <summary>The IPE(s) that support the account, e.g. IPE_12.</summary>
    public required string Ipes { get; set; }
    /// <summary>Same: the IPE total is the G/L balance; Opposite: minus it (a liability's credit balance).</summary>
    public required string Sign { get; set; }
    /// <summary>The extract rows of this account and company.</summary>
    public long IpeRows { get; set; }
    /// <summary>The total of the IPE's amount column over those rows, as the IPE lists it.</summary>
    public decimal IpeTotal { get; set; }
    public decimal GlBalance { get; set; }
    /// <summary>G/L balance minus the IPE total with the sign applied: what the G/L holds that the IPE does not support.</summary>
    public decimal Difference { get; set; }
    public decimal Threshold { get; set; }
    /// <summary>True when the difference, either way, is larger than the threshold.</summary>
    public bool Outside { get; set; }
    /// <summary>CR_05's closing rate of the currency to USD (local currency per 1 USD) and the day it is of.</summary>
    public decimal UsdRate { get; set; }
    public required string UsdRateDate { get; set; }
    /// <summary>The difference divided by the rate, to the cent.</summary>
    public decimal DifferenceUsd { get; set; }

    public string StatusText => Outside ? "outside" : "within";
}

/// <summary>What a reconciliation is built on: the IPE runs it totalled, and the G/L balances, closing rates
/// and G/L entries runs beside them, each with the SHA-256 of the extract that was read.</summary>
public enum InputRole { Supports, Balances, Rates, Entries }

public sealed class ReconciliationInput
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int Order { get; set; }
    public InputRole Role { get; set; }
    public required string IpeId { get; set; }
    public int IpeVersionNumber { get; set; }
    public int InputRunId { get; set; }
    public required string ExtractSha256 { get; set; }
    public long Rows { get; set; }
    public required string RunBy { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public static string Describe(InputRole role) => role switch
    {
        InputRole.Supports => "supports G/L accounts",
        InputRole.Balances => "G/L balances at the cutoff",
        InputRole.Rates => "closing rates to USD",
        _ => "G/L entries behind the balances (drill-down)",
    };
}
