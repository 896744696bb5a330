namespace SoxAuto.Core.Tokens;

/// <summary>What a token may do: the same roles people hold, one per token. The web app maps each to
/// its role of the same name, so the API answers to the same policies as the pages.</summary>
public enum TokenScope { Auditor, Reviewer, Admin }

/// <summary>
/// An access token for automation (the HTTP API), issued by an admin. Only the SHA-256 of the secret is
/// stored: the secret is 256 random bits, so a fast hash is enough (nobody can guess their way through
/// 2^256 candidates, which is what a slow password hash guards against), and the database alone cannot
/// be used to call the API. Names are unique for ever (revoked ones included), so <c>token:&lt;name&gt;</c>
/// in the audit trail always means one token.
/// </summary>
public sealed class AccessToken
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public TokenScope Scope { get; set; }
    /// <summary>SHA-256 of the whole secret (UTF-8), lower-case hex.</summary>
    public required string Sha256 { get; set; }
    public required string IssuedBy { get; set; }
    /// <summary>Who (<see cref="SoxAuto.Core.Access.PersonSubject"/>); the name beside it is only shown.</summary>
    public required string IssuedBySubject { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokedBySubject { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The last accepted use, to the minute (not written on every request).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Who the token acts as, in runs and the audit trail.</summary>
    public string Identity => IdentityOf(Name);

    public static string IdentityOf(string name) => $"token:{name}";

    public TokenStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? TokenStatus.Revoked : ExpiresAt <= now ? TokenStatus.Expired : TokenStatus.Active;
}

public enum TokenStatus { Active, Expired, Revoked }

/// <summary>A token just issued: its record and its secret, which is shown this once and never again.</summary>
public sealed record IssuedToken(AccessToken Token, string Secret);
