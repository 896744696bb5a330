using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Tokens;

/// <summary>A token request that cannot be carried out; <see cref="Field"/> names what was wrong (name,
/// role, expires) and the message is for the user.</summary>
public sealed class TokenException(string message, string field) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Why a presented token was not accepted.</summary>
public enum TokenRefusal { Unknown, Revoked, Expired }

/// <summary>The outcome of presenting a secret: the token, or why it was refused (with the token when it
/// is known but revoked or expired).</summary>
public sealed record TokenCheck(AccessToken? Token, TokenRefusal? Refusal)
{
    public bool Accepted => Refusal is null;
}

/// <summary>
/// Access tokens for the HTTP API: issue (the secret is returned once), revoke, list, and check a presented
/// secret. The admin page and the <c>token</c> verb both come here; issues and revocations, and the refused
/// uses of known tokens, go to the audit trail. Uniqueness of names is the database's (a unique index), so
/// two processes issuing the same name at once get one token and one refusal.
/// </summary>
public sealed partial class AccessTokens(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Every secret starts with this, so that secret scanners and people recognise one.</summary>
    public const string Prefix = "soxauto_";

    // A last use is written at most this often per token: each API request would otherwise be a write.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IssuedToken> IssueAsync(string? name, string? scope, string? expires, Actor actor, CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        if (!NamePattern().IsMatch(name))
            throw new TokenException($"The token name {UserText.Quote(name)} must be 1 to 64 letters, digits, '.', '-' or '_' (e.g. nightly-close).", "name");
        var parsedScope = ParseScope(scope);
        if (!TokenLifetime.TryParse(expires, out var lifetime, out var error))
            throw new TokenException(error, "expires");

        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new AccessToken
        {
            Name = name,
            Scope = parsedScope,
            Sha256 = HashOf(secret),
            IssuedBy = actor.Name,
            IssuedBySubject = actor.Subject,
            IssuedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (await db.AccessTokens.AnyAsync(t => t.Name == name, ct))
                throw Duplicate(name);
            db.AccessTokens.Add(token);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process issued the same name between our check and our write: the index decided.
                throw Duplicate(name);
            }
        }
        await audit.RecordAsync(actor, "token.issued", $"token/{name}",
            $"role {parsedScope}; expires {UtcTime.Text(token.ExpiresAt)}", ct);
        return new IssuedToken(token, secret);
    }

    public async Task<AccessToken> RevokeAsync(string? name, Actor actor, CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Conditional, so that two revocations at once record one.
        var revoked = await db.AccessTokens.Where(t => t.Name == name && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedBy, actor.Name).SetProperty(t => t.RevokedBySubject, actor.Subject), ct) == 1;
        var token = await db.AccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, ct)
            ?? throw new TokenException($"There is no token called {UserText.Quote(name)}.", "name");
        if (!revoked)
            throw new TokenException($"The token {name} was already revoked by {token.RevokedBy} at {UtcTime.Text(token.RevokedAt)}.", "name");
        await audit.RecordAsync(actor, "token.revoked", $"token/{name}", $"role {token.Scope}; was to expire {UtcTime.Text(token.ExpiresAt)}", ct);
        return token;
    }

    /// <summary>Every token, newest first (revoked and expired ones too: they are part of the record).</summary>
    public async Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AccessTokens.AsNoTracking().OrderByDescending(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Checks a presented secret. A revoked or expired token's use is recorded in the audit trail
    /// (as that token, on <paramref name="through"/>, the address asked for); an unknown secret is only
    /// reported to the caller, who decides how to record it (anyone can send one, as often as they like).</summary>
    public async Task<TokenCheck> CheckAsync(string secret, string origin, string through, CancellationToken ct = default)
    {
        var sha = HashOf(secret);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = await db.AccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Sha256 == sha, ct);
        if (token is null) return new TokenCheck(null, TokenRefusal.Unknown);
        switch (token.StatusAt(now))
        {
            case TokenStatus.Revoked:
                await audit.RecordAsync(token.Identity, "token.refused", through, $"revoked by {token.RevokedBy} at {UtcTime.Text(token.RevokedAt)}", origin, ct);
                return new TokenCheck(token, TokenRefusal.Revoked);
            case TokenStatus.Expired:
                await audit.RecordAsync(token.Identity, "token.refused", through, $"expired at {UtcTime.Text(token.ExpiresAt)}", origin, ct);
                return new TokenCheck(token, TokenRefusal.Expired);
        }
        if (token.LastUsedAt is null || now - token.LastUsedAt >= LastUsedResolution)
            await db.AccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), ct);
        return new TokenCheck(token, null);
    }

    /// <summary>SHA-256 of the secret's UTF-8 bytes, lower-case hex: what is stored, and what identifies a
    /// presented secret without keeping it (e.g. to count its requests).</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static TokenScope ParseScope(string? scope) =>
        Enum.GetNames<TokenScope>().FirstOrDefault(n => string.Equals(n, scope?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<TokenScope>(known)
            : throw new TokenException($"The role {UserText.Quote(scope)} is not one a token can have: {string.Join(", ", Enum.GetNames<TokenScope>())}.", "role");

    private static TokenException Duplicate(string name) =>
        new($"There is already a token called {name} (names are never reused, revoked tokens included). Choose another name.", "name");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
