using System.Text.Json.Serialization;

namespace SoxAuto.Core.Review;

/// <summary>Written and read as its name ("Approved") wherever it is JSON: the sign-off endpoint, signoff.json.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SignOffDecision>))]
public enum SignOffDecision { Approved, Rejected }

/// <summary>A reviewer's decision on one run's evidence: who, when, approved or rejected, the comment,
/// the justification for approving despite checks that did not pass, and the SHA-256 of every file
/// signed off. One per run (a unique index): a rejected run is re-run, not signed off again. Written
/// once, never changed; it adds signoff.json to the run's package and leaves the evidence files alone.</summary>
public sealed class SignOff
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public SignOffDecision Decision { get; set; }
    public required string By { get; set; }
    /// <summary>Who (<see cref="SoxAuto.Core.Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string BySubject { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Comment { get; set; }
    /// <summary>Why the run is approved although a check failed or errored; null when none needed it.</summary>
    public string? Justification { get; set; }
    public List<SignedFile> Files { get; set; } = [];
}

/// <summary>A file as it was when signed off.</summary>
public sealed record SignedFile(string Name, string Kind, string Sha256, long Bytes);

/// <summary>Where a run stands in review: lists and pages show it.</summary>
public enum ReviewState { NotForReview, AwaitingReview, Approved, Rejected }
