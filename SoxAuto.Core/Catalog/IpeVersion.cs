namespace SoxAuto.Core.Catalog;

public enum IpeVersionStatus { Draft, Active, Superseded, Rejected }

/// <summary>One immutable version of an IPE's definition. Runs point at the version they ran.</summary>
public sealed class IpeVersion
{
    public int Id { get; set; }
    public required string IpeId { get; set; }
    public int Number { get; set; }
    public required IpeDefinition Definition { get; set; }
    public IpeVersionStatus Status { get; set; }
    public required string AuthoredBy { get; set; }
    public DateTimeOffset AuthoredAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? Comment { get; set; }
}
