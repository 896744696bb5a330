using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Web.Auth;

/// <summary>The server's record of who is signed in (<see cref="SignInSession"/>). The cookie names a
/// session; the database says whether it is still open. Every process on the database sees the same
/// answer, so a sign-out anywhere ends the session everywhere. A single sign-on session also keeps the person's
/// refresh token (protected, see <see cref="SignInSession.RefreshToken"/>) until it ends.</summary>
public sealed class SignInSessions(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock, IDataProtectionProvider protection)
{
    /// <summary>The claim in the session cookie that names the session.</summary>
    public const string Claim = "soxauto_session";

    // Ended and expired rows are kept a while for whoever investigates a sign-in, then dropped.
    private static readonly TimeSpan KeepEnded = TimeSpan.FromDays(30);

    /// <summary>Protects the refresh tokens kept with sessions; the keys are shared by every process on the database.</summary>
    public IDataProtector RefreshTokens { get; } = protection.CreateProtector("SoxAuto.SignInSessions.RefreshToken");

    public async Task<string> StartAsync(string who, string? subject, DateTimeOffset expiresAt, string? refreshToken = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.SignInSessions.Add(new SignInSession
        {
            Id = id,
            Who = who,
            Subject = subject,
            StartedAt = now,
            ExpiresAt = expiresAt,
            RefreshToken = refreshToken is null ? null : RefreshTokens.Protect(refreshToken),
        });
        await db.SaveChangesAsync(ct);
        var old = now - KeepEnded;
        await db.SignInSessions.Where(s => s.ExpiresAt < old).ExecuteDeleteAsync(ct);
        // An expired session's refresh token is of no more use to anyone.
        await db.SignInSessions.Where(s => s.ExpiresAt <= now && s.RefreshToken != null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RefreshToken, (string?)null), ct);
        return id;
    }

    /// <summary>True while the session named by <paramref name="user"/>'s cookie is neither ended nor expired.</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (IdOf(user) is not { } id) return false;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.SignInSessions.AnyAsync(s => s.Id == id && s.EndedAt == null && s.ExpiresAt > now, ct);
    }

    /// <summary>The cookie was renewed (sliding expiry): the session lives as long as the cookie.</summary>
    public async Task ExtendAsync(ClaimsPrincipal user, TimeSpan lifetime, CancellationToken ct = default)
    {
        if (IdOf(user) is not { } id) return;
        var now = clock.GetUtcNow();
        var expiresAt = now + lifetime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.SignInSessions.Where(s => s.Id == id && s.EndedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, expiresAt), ct);
    }

    /// <returns>The session's refresh token (protected) that was removed with it, for the caller to revoke at the provider.</returns>
    public async Task<string?> EndAsync(ClaimsPrincipal user, string reason, CancellationToken ct = default)
    {
        if (IdOf(user) is not { } id) return null;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var refreshToken = await db.SignInSessions.Where(s => s.Id == id && s.EndedAt == null).Select(s => s.RefreshToken).FirstOrDefaultAsync(ct);
        // Its refresh token goes with it: nothing can renew the person's sign-in after they signed out.
        await db.SignInSessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason)
                .SetProperty(s => s.RefreshToken, (string?)null), ct);
        return refreshToken;
    }

    private static string? IdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(Claim) : null;
}
