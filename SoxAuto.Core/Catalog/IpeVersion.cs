namespace SoxAuto.Core.Catalog;

/// <summary>Draft awaits a second admin; Active is what auditors run; Superseded was active (or a draft
/// replaced before review); Rejected was turned down; Retired is an approved retirement, which takes the IPE
/// out of the active catalog.</summary>
public enum IpeVersionStatus { Draft, Active, Superseded, Rejected, Retired }

/// <summary>What a version changes: an edit, a new IPE, a restore of an older version, a retirement, an import.</summary>
public enum IpeChangeKind { Edit, New, Restore, Retire, Import, Seed }

/// <summary>One immutable version of an IPE's definition. Runs point at the version they ran.</summary>
public sealed class IpeVersion
{
    public int Id { get; set; }
    public required string IpeId { get; set; }
    public int Number { get; set; }
    public required IpeDefinition Definition { get; set; }
    public IpeVersionStatus Status { get; set; }
    public IpeChangeKind ChangeKind { get; set; } = IpeChangeKind.Edit;
    /// <summary>The version number this draft was written against (the active one at the time), if any.</summary>
    public int? BasedOnNumber { get; set; }
    public required string AuthoredBy { get; set; }
    public DateTimeOffset AuthoredAt { get; set; }
    /// <summary>The author's reason for the change.</summary>
    public string? Comment { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    /// <summary>Who rejected it (or, for a draft replaced before review, its author), and when.</summary>
    public string? RejectedBy { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    /// <summary>The reviewer's comment on approval or rejection.</summary>
    public string? ReviewComment { get; set; }
}
