using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace SoxAuto.Web.Auth;

/// <summary>A page's circuit keeps the identity it was opened with, however long it stays open. This
/// asks the database every <see cref="RevalidationInterval"/> whether that sign-in session is still open
/// (and <see cref="SignedInPerson"/> asks before every action); once it is not, the circuit becomes
/// anonymous and the page goes to the sign-in page.</summary>
public sealed class SessionRevalidation(ILoggerFactory logs, SignInSessions sessions, SessionCheck check)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => check.Interval;

    /// <summary>True once this circuit has learnt that its session ended (signed out or expired).</summary>
    public bool Ended { get; private set; }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        var open = await sessions.IsOpenAsync(state.User, ct);
        Ended |= !open;
        return open;
    }

    /// <summary>The session has ended: take the circuit's rights away now, not at the next check.</summary>
    public void End()
    {
        Ended = true;
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
    }
}

/// <summary>How often an open page re-checks its sign-in session (SoxAuto:Auth:SessionCheckInterval).</summary>
public sealed record SessionCheck(TimeSpan Interval);
