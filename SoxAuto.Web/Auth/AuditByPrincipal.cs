using System.Security.Claims;
using SoxAuto.Core.Audit;

namespace SoxAuto.Web.Auth;

/// <summary>Records what happened to a request's or page's principal (a refusal, a download) under the
/// person's name and subject, like every action (<see cref="SignedInPerson.Of"/>); "anonymous" when nobody is
/// signed in, and the name alone for a session cookie from before SoxAuto kept subjects.</summary>
public static class AuditByPrincipal
{
    public static Task<AuditEntry> RecordAsync(this AuditTrail audit, ClaimsPrincipal user, string? origin, string action, string subject,
        string detail, CancellationToken ct = default)
    {
        var actor = SignedInPerson.Of(user, origin);
        return actor.Name.Length > 0 && actor.Subject.Length > 0
            ? audit.RecordAsync(actor, action, subject, detail, ct)
            : audit.RecordAsync(actor.Name.Length > 0 ? actor.Name : "anonymous", action, subject, detail, actor.Origin, ct);
    }
}
