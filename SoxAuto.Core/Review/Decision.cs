namespace SoxAuto.Core.Review;

/// <summary>The answer to "may this person do this?", with the reason in words a user (and an
/// auditor reading the trail) understands.</summary>
public sealed record Decision(bool Allowed, string Why)
{
    public static Decision Allow(string why) => new(true, why);
    public static Decision Refuse(string why) => new(false, why);
}

/// <summary>A refusal by <see cref="SegregationOfDuties"/>; the message says why.</summary>
public sealed class SegregationOfDutiesException(string message) : UnauthorizedAccessException(message);
