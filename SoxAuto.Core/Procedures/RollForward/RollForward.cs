using System.Globalization;
using System.Text.Json.Serialization;

namespace SoxAuto.Core.Procedures.RollForward;

/// <summary>
/// A run compared with the same IPE's run for the prior period: which keys are new and which are gone, and how
/// the amount column's total moved per G/L account and per company. Computed from the two stored extracts each
/// time it is asked for (they are evidence and do not change), never stored.
/// </summary>
/// <param name="PriorRunId">The prior period's run compared with; null when there is none (<see cref="NoPrior"/> says why).</param>
/// <param name="ComparedBy">The key columns keys are made of, in words.</param>
/// <param name="KeysCompared">False when the keys could not be compared (<see cref="Notes"/> says why).</param>
/// <param name="Keys">The first <see cref="KeysListed"/> new and removed keys (in extract order) with their rows.</param>
/// <param name="AmountColumn">The column the movements total; null when the IPE has none.</param>
/// <param name="ByAccount">Per G/L account; empty when the IPE has no account column (nor a single account).</param>
public sealed record RollForward(
    int RunId,
    string IpeId,
    string Period,
    string? PriorPeriod,
    int? PriorRunId,
    string? NoPrior,
    long Rows,
    long PriorRows,
    string ComparedBy,
    bool KeysCompared,
    long NewKeys,
    long RemovedKeys,
    IReadOnlyList<KeyChange> Keys,
    string? AmountColumn,
    Movement? Total,
    IReadOnlyList<Movement> ByAccount,
    IReadOnlyList<Movement> ByCompany,
    IReadOnlyList<string> Notes)
{
    /// <summary>New and removed keys listed (the first of each in extract order); the counts cover every key.</summary>
    public const int KeysListed = 50;

    /// <summary>No prior run to compare with: only what identifies the run and why.</summary>
    public static RollForward Without(int runId, string ipeId, string period, string? priorPeriod, long rows, string why) =>
        new(runId, ipeId, period, priorPeriod, null, why, rows, 0, "", false, 0, 0, [], null, null, [], [], []);
}

[JsonConverter(typeof(JsonStringEnumConverter<KeyChangeKind>))]
public enum KeyChangeKind { New, Removed }

/// <summary>A key in only one of the two extracts: <see cref="Row"/> counts that extract's data rows from 1;
/// <see cref="Amount"/> is the row's amount (null for NULL or no amount column).</summary>
public sealed record KeyChange(KeyChangeKind Change, string Key, long Row, string? Amount);

/// <summary>The amount total of one group (an account, a company, or every row) in the prior and the current
/// extract, exactly as summed; <see cref="Change"/> is current less prior. A group absent from one side is zero there.</summary>
public sealed record Movement(string Group, string Prior, string Current, string Change)
{
    [JsonIgnore] public decimal PriorAmount => Amount(Prior);
    [JsonIgnore] public decimal CurrentAmount => Amount(Current);
    [JsonIgnore] public decimal ChangeAmount => Amount(Change);

    private static decimal Amount(string exact) =>
        decimal.TryParse(exact, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m;
}
