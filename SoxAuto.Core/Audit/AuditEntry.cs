namespace SoxAuto.Core.Audit;

/// <summary>One line of the append-only audit trail. Each entry's hash covers its content and the
/// previous entry's hash, so a removed or edited line breaks the chain. SQLite triggers refuse
/// UPDATE and DELETE on the table, and a unique index on <see cref="PreviousId"/> refuses a fork.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Who { get; set; }
    /// <summary>Who, as <see cref="Access.PersonSubject"/> says; null when nobody in particular acted
    /// ("system", an anonymous refusal) and on entries of <see cref="Format"/> 1, which recorded only the name.</summary>
    public string? WhoSubject { get; set; }
    /// <summary>What the hash covers (<see cref="AuditTrail.HashOf"/>): 1 for entries written before SoxAuto
    /// recorded subjects, 2 (<see cref="AuditTrail.CurrentFormat"/>) for those that also hash <see cref="WhoSubject"/>.</summary>
    public int Format { get; set; } = 1;
    /// <summary>What happened, e.g. run.requested, evidence.downloaded, signin.</summary>
    public required string Action { get; set; }
    /// <summary>What it happened to, e.g. run/12 or ipe/IPE_09.</summary>
    public required string Subject { get; set; }
    public string Detail { get; set; } = "";
    /// <summary>Where from: an IP address, or "cli" for headless runs, "system" for the app itself.</summary>
    public string Origin { get; set; } = "";
    public required string PreviousHash { get; set; }
    /// <summary>The id of the entry this one follows (0 for the first entry of a trail). Unique, so no two
    /// entries can follow the same one. Null only on entries written before SoxAuto recorded it.</summary>
    public long? PreviousId { get; set; }
    public required string Hash { get; set; }
}
