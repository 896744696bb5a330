namespace SoxAuto.Core.Checks;

/// <summary>Passed and Failed are verdicts on the extract. NotRun: the check did not run, and the outcome
/// says why. Error: the check itself broke (its control query failed, a value could not be read), with
/// the message. Only Passed ever reads as passed.</summary>
public enum CheckStatus { Passed, Failed, NotRun, Error }

/// <summary>One check's result as the evidence shows it. A check that could not run says NotRun and
/// why, never Passed.</summary>
public sealed record CheckOutcome(string Name, CheckStatus Status, string Expected, string Actual, string Detail)
{
    /// <summary>What was checked, so that an auditor can reperform it: the rule in words, or the control
    /// query exactly as it was sent to the engine.</summary>
    public string Rule { get; init; } = "";

    /// <summary>The engine's execution id of the check's control query, when it ran one.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>How long the check took: its control query from start to answer, or (for a check fed
    /// by the evidence pass) the pass it ran in plus its outcome.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The check broke: never Passed, never a failed run.</summary>
    public static CheckOutcome Errored(string name, string message, string rule = "") =>
        new(name, CheckStatus.Error, "", "", message) { Rule = rule };
}
