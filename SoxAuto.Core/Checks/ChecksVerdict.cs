namespace SoxAuto.Core.Checks;

/// <summary>What a run's checks say together, in one word for a list such as the catalog: Failed if any
/// check failed, else Error if any broke, else Incomplete if any did not run, else Passed. Passed only
/// when every check ran and passed.</summary>
public enum ChecksVerdict { Passed, Failed, Error, Incomplete }

public static class ChecksVerdicts
{
    /// <summary>The verdict of these statuses; none at all is Incomplete (nothing was checked).</summary>
    public static ChecksVerdict Of(IEnumerable<CheckStatus> statuses)
    {
        var all = statuses.ToList();
        if (all.Contains(CheckStatus.Failed)) return ChecksVerdict.Failed;
        if (all.Contains(CheckStatus.Error)) return ChecksVerdict.Error;
        if (all.Count == 0 || all.Contains(CheckStatus.NotRun)) return ChecksVerdict.Incomplete;
        return ChecksVerdict.Passed;
    }

    /// <summary>"9 passed, 1 not run": the counts behind a verdict.</summary>
    public static string Counts(IEnumerable<CheckStatus> statuses) =>
        string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Words(g.Key)}"));

    private static string Words(CheckStatus status) => status switch
    {
        CheckStatus.NotRun => "not run",
        _ => status.ToString().ToLowerInvariant(),
    };
}
