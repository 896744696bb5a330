namespace SoxAuto.Core.Checks;

public enum CheckStatus { Passed, Failed, NotRun }

/// <summary>One check's result as the evidence shows it. A check that could not run says NotRun and
/// why, never Passed.</summary>
public sealed record CheckOutcome(string Name, CheckStatus Status, string Expected, string Actual, string Detail);
