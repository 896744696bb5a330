namespace SoxAuto.Core.Data;

/// <summary>One signed-in browser session. The session cookie carries only its id; this row says
/// whether the session is still open. So a sign-out in one tab, or on another instance sharing the
/// database, ends the session for every tab and every process, and a copied cookie is worthless after it.</summary>
public sealed class SignInSession
{
    /// <summary>128 random bits, hex.</summary>
    public required string Id { get; set; }
    public required string Who { get; set; }
    /// <summary>Whose session it is (<see cref="SoxAuto.Core.Access.PersonSubject"/>); null on rows from before subjects were kept.</summary>
    public string? Subject { get; set; }
    /// <summary>The person's OpenID Connect refresh token, protected with ASP.NET Core Data Protection (its keys are in this
    /// database): what renews their ID token for per-person AWS credentials. Only while the session is open: signing out
    /// or ending the session deletes it. Never in the cookie, never in a log.</summary>
    public string? RefreshToken { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Moves forward with the cookie's sliding expiry.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Why it ended early, e.g. "signed out"; an expired session has no end, only its expiry.</summary>
    public string? EndReason { get; set; }
}
