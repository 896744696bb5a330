namespace SoxAuto.Core.Catalog;

/// <summary>
/// What every versioned catalog entry (an IPE, a control's reconciliation thresholds) records about its
/// review: who wrote it and why, and who approved or rejected it. A version is immutable once saved; a
/// change is a new draft that a second admin must approve (segregation of duties).
/// </summary>
public abstract class CatalogVersion
{
    public int Number { get; set; }
    public IpeVersionStatus Status { get; set; }
    public IpeChangeKind ChangeKind { get; set; } = IpeChangeKind.Edit;
    /// <summary>The version number this draft was written against (the active one at the time), if any.</summary>
    public int? BasedOnNumber { get; set; }
    public required string AuthoredBy { get; set; }
    /// <summary>Who (<see cref="Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string AuthoredBySubject { get; set; }
    public DateTimeOffset AuthoredAt { get; set; }
    /// <summary>The author's reason for the change.</summary>
    public string? Comment { get; set; }
    public string? ApprovedBy { get; set; }
    public string? ApprovedBySubject { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    /// <summary>Who rejected it (or, for a draft replaced before review, its author), and when.</summary>
    public string? RejectedBy { get; set; }
    public string? RejectedBySubject { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    /// <summary>The reviewer's comment on approval or rejection.</summary>
    public string? ReviewComment { get; set; }

    /// <summary>The entry's id in the catalog (IPE_07, C-PG-1), for messages.</summary>
    public abstract string Item { get; }

    /// <summary>A draft that a newer draft replaces before anyone reviewed it: never approvable again.</summary>
    public void ReplaceBeforeReview(Runs.Actor by, DateTimeOffset at, int newNumber)
    {
        Status = IpeVersionStatus.Superseded;
        (RejectedBy, RejectedBySubject) = (by.Name, by.Subject);
        RejectedAt = at;
        ReviewComment = $"Replaced by draft version {newNumber} before review.";
    }

    public void Approve(Runs.Actor by, DateTimeOffset at, string? comment, IpeVersionStatus becomes = IpeVersionStatus.Active)
    {
        Status = becomes;
        (ApprovedBy, ApprovedBySubject) = (by.Name, by.Subject);
        ApprovedAt = at;
        ReviewComment = Trimmed(comment);
    }

    public void Reject(Runs.Actor by, DateTimeOffset at, string comment)
    {
        Status = IpeVersionStatus.Rejected;
        (RejectedBy, RejectedBySubject) = (by.Name, by.Subject);
        RejectedAt = at;
        ReviewComment = comment.Trim();
    }

    public static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
