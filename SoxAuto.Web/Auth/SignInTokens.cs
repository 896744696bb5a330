using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SoxAuto.Core.Access;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Web.Auth;

/// <summary>
/// The sign-in tokens of people's runs, for per-person AWS credentials (SoxAuto:Athena:Credentials = PerUser): a run exchanges
/// its requester's ID token with STS for their own temporary credentials. The ID token of the latest sign-in is held in this
/// process's memory. The refresh token (single sign-on asks for offline_access in PerUser mode) is kept with the person's
/// sign-in session in the database, protected (<see cref="SignInSessions.RefreshTokens"/>), so an ID token near its end, or
/// one this process does not hold (a run re-attached after a restart), is renewed at the provider's token endpoint.
/// Only while the person has an open sign-in session: after they sign out, nothing renews anything. Tokens never appear in
/// a log or the audit trail.
/// </summary>
public sealed class SignInTokens(IDbContextFactory<SoxAutoDb> dbs, SignInSessions sessions, TimeProvider clock, IServiceProvider services) : IPersonTokens
{
    // A provider that does not answer within this keeps the sessions' write lock no longer (see RenewAsync).
    private static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, PersonToken> _byPerson = new(StringComparer.Ordinal);

    /// <summary>Keyed by the person's subject (<see cref="PersonSubject"/>), as runs record their requester.</summary>
    public void Keep(string subject, PersonToken token) => _byPerson[subject] = token;

    public void Forget(string subject) => _byPerson.TryRemove(subject, out _);

    /// <exception cref="RunnerIdentityException">The provider refused to renew the sign-in (a revoked or expired refresh token).</exception>
    public async Task<PersonToken?> ForRunAsync(EngineRunner runner, CancellationToken ct)
    {
        var subject = runner.Requester;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var open = db.SignInSessions.Where(s => s.Subject == subject && s.EndedAt == null && s.ExpiresAt > now);
        if (!await open.AnyAsync(ct))
        {
            // Signed out (here or in another process), or the session ended: their token is not used any more.
            Forget(subject);
            return null;
        }
        _byPerson.TryGetValue(subject, out var held);
        if (held is not null && !NearItsEnd(held.IdToken, now)) return held;
        // Nothing to renew with (no offline_access, or sign-in without a provider): STS judges the token as it is.
        if (!await open.AnyAsync(s => s.RefreshToken != null, ct)) return held;
        var renewed = await RenewAsync(subject, ct);
        _byPerson[subject] = renewed;
        return renewed;
    }

    /// <summary>True once less than a third of the token's life is left (or it cannot be read): time to renew it, with room
    /// for the clocks of SoxAuto, the provider and AWS to differ.</summary>
    private static bool NearItsEnd(string idToken, DateTimeOffset now)
    {
        try
        {
            var jwt = new JsonWebToken(idToken);
            var life = jwt.ValidTo - (jwt.IssuedAt == DateTime.MinValue ? jwt.ValidTo.AddMinutes(-3) : jwt.IssuedAt);
            return now.UtcDateTime >= jwt.ValidTo - life / 3;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Uses the refresh token of the person's latest open session at the provider's token endpoint. In a transaction
    /// holding the sessions' write lock, so that two processes never spend one refresh token (a provider that rotates them
    /// takes a second use for a stolen token and revokes the sign-in); a rotated refresh token replaces the old one.</summary>
    private async Task<PersonToken> RenewAsync(string subject, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockForWritesAsync<SignInSession>(ct);
        var session = await db.SignInSessions
            .Where(s => s.Subject == subject && s.EndedAt == null && s.ExpiresAt > now && s.RefreshToken != null)
            .OrderByDescending(s => s.StartedAt).FirstOrDefaultAsync(ct)
            ?? throw Refused("your sign-in session ended meanwhile");
        string refreshToken;
        try
        {
            refreshToken = sessions.RefreshTokens.Unprotect(session.RefreshToken!);
        }
        catch (CryptographicException)
        {
            throw Refused("SoxAuto could not read the refresh token it kept (its data protection keys changed)");
        }
        var (idToken, rotated) = await RefreshAtProviderAsync(refreshToken, ct);
        var token = PersonTokenOf(idToken, subject);
        if (rotated is { Length: > 0 } && rotated != refreshToken)
        {
            session.RefreshToken = sessions.RefreshTokens.Protect(rotated);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return token;
    }

    private async Task<(string IdToken, string? RefreshToken)> RefreshAtProviderAsync(string refreshToken, CancellationToken ct)
    {
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcSignIn.Scheme);
        if (oidc.ConfigurationManager is null || oidc.Backchannel is null)
            throw Refused("single sign-on is not configured in this process");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProviderTimeout);
        OpenIdConnectMessage answer;
        try
        {
            var configuration = await oidc.ConfigurationManager.GetConfigurationAsync(timeout.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = OpenIdConnectGrantTypes.RefreshToken,
                    ["refresh_token"] = refreshToken,
                    ["client_id"] = oidc.ClientId ?? "",
                    ["client_secret"] = oidc.ClientSecret ?? "",
                }),
            };
            using var response = await oidc.Backchannel.SendAsync(request, timeout.Token);
            answer = new OpenIdConnectMessage(await response.Content.ReadAsStringAsync(timeout.Token));
            if (!response.IsSuccessStatusCode || answer.Error is not null)
                throw Refused($"the identity provider refused to renew it ({answer.Error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                    + $"{(string.IsNullOrEmpty(answer.ErrorDescription) ? "" : ": " + answer.ErrorDescription)})");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw Refused($"the identity provider could not be reached to renew it ({e.Message})");
        }
        return (answer.IdToken ?? throw Refused("the identity provider renewed it without an ID token"), answer.RefreshToken);
    }

    /// <summary>Revokes a refresh token (protected, as kept) at the provider's revocation endpoint (RFC 7009) when its
    /// session ends. Never in the way of the sign-out: a provider without the endpoint, one that refuses or cannot be
    /// reached leaves the token to expire there (SoxAuto has deleted it already), with a warning in the log.</summary>
    public async Task RevokeAsync(string protectedRefreshToken, CancellationToken ct)
    {
        var log = services.GetRequiredService<ILogger<SignInTokens>>();
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcSignIn.Scheme);
        if (oidc.ConfigurationManager is null || oidc.Backchannel is null) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProviderTimeout);
        try
        {
            var configuration = await oidc.ConfigurationManager.GetConfigurationAsync(timeout.Token);
            if (string.IsNullOrEmpty(configuration.RevocationEndpoint))
            {
                log.LogWarning("The identity provider has no revocation endpoint: a refresh token of an ended sign-in session is left to expire there.");
                return;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.RevocationEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["token"] = sessions.RefreshTokens.Unprotect(protectedRefreshToken),
                    ["token_type_hint"] = "refresh_token",
                    ["client_id"] = oidc.ClientId ?? "",
                    ["client_secret"] = oidc.ClientSecret ?? "",
                }),
            };
            using var response = await oidc.Backchannel.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
                log.LogWarning("The identity provider refused to revoke the refresh token of an ended sign-in session (HTTP {Status}); it expires there.", (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or CryptographicException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("The refresh token of an ended sign-in session could not be revoked at the identity provider ({Reason}); it expires there.", e.Message);
        }
    }

    /// <summary>The renewed ID token, which must be the same person's: straight from the token endpoint, authenticated by the
    /// client secret over the back channel, as OpenID Connect allows without checking its signature again.</summary>
    private PersonToken PersonTokenOf(string idToken, string subject)
    {
        var jwt = new JsonWebToken(idToken);
        if (PersonSubject.Oidc(jwt.Issuer, jwt.Subject) != subject)
            throw Refused("the identity provider renewed it for someone else");
        var groupsClaim = services.GetService<OidcSettings>()?.GroupsClaim ?? "groups";
        return new PersonToken(jwt.Subject, idToken, jwt.Claims.Where(c => c.Type == groupsClaim).Select(c => c.Value).ToList());
    }

    private static RunnerIdentityException Refused(string why) => new(
        $"Your sign-in could not be renewed for this run's AWS credentials: {why}. Sign in again and start the run again.");
}
