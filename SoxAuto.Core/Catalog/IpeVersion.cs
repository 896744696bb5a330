namespace SoxAuto.Core.Catalog;

/// <summary>Draft awaits a second admin; Active is what auditors run; Superseded was active (or a draft
/// replaced before review); Rejected was turned down; Retired is an approved retirement, which takes the IPE
/// out of the active catalog.</summary>
public enum IpeVersionStatus { Draft, Active, Superseded, Rejected, Retired }

/// <summary>What a version changes: an edit, a new IPE, a restore of an older version, a retirement, an import.</summary>
public enum IpeChangeKind { Edit, New, Restore, Retire, Import, Seed }

/// <summary>One immutable version of an IPE's definition. Runs point at the version they ran.</summary>
public sealed class IpeVersion : CatalogVersion
{
    public int Id { get; set; }
    public required string IpeId { get; set; }
    public required IpeDefinition Definition { get; set; }

    public override string Item => IpeId;
}
