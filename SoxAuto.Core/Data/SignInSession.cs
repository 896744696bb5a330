namespace SoxAuto.Core.Data;

/// <summary>One signed-in browser session. The session cookie carries only its id; this row says
/// whether the session is still open. So a sign-out in one tab, or on another instance sharing the
/// database, ends the session for every tab and every process, and a copied cookie is worthless after it.</summary>
public sealed class SignInSession
{
    /// <summary>128 random bits, hex.</summary>
    public required string Id { get; set; }
    public required string Who { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Moves forward with the cookie's sliding expiry.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Why it ended early, e.g. "signed out"; an expired session has no end, only its expiry.</summary>
    public string? EndReason { get; set; }
}
