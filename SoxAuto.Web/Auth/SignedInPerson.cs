using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using SoxAuto.Core.Access;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>The person using this page, as Core needs to know them (an <see cref="Actor"/>).</summary>
public sealed class SignedInPerson(AuthenticationStateProvider authentication, ClientOrigin origin, SignInSessions sessions)
{
    /// <summary>The claim every sign-in (and every API token) puts in the principal: who the person is, as
    /// <see cref="PersonSubject"/> says. A session cookie issued before SoxAuto kept subjects has none, so it
    /// can read but not act: its person signs in again.</summary>
    public const string SubjectClaim = "soxauto_subject";

    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>The actor of an action (run, cancel, approve, import, trial...). Every action gets its
    /// actor here, and here the sign-in session is checked in the database first: an open page keeps
    /// its identity, so without this a tab could act after its person signed out in another tab.</summary>
    /// <exception cref="SessionEndedException">The session has ended; nothing may be done.</exception>
    public async Task<Actor> ActorAsync()
    {
        var user = await UserAsync();
        var name = user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (string.IsNullOrWhiteSpace(name))
            throw new UnauthorizedAccessException("You are not signed in.");
        if (!await sessions.IsOpenAsync(user) || string.IsNullOrEmpty(user.FindFirstValue(SubjectClaim)))
        {
            (authentication as SessionRevalidation)?.End();   // the page goes to the sign-in page
            throw new SessionEndedException();
        }
        return Of(user, origin.Address);
    }

    /// <summary>Who is looking, for reading a run through Core's one door (<see cref="RunAccess"/>). No
    /// fresh session check: reading is covered by the circuit's periodic revalidation and the cookie check
    /// on every request; acting is not, so actions take <see cref="ActorAsync"/>.</summary>
    public async Task<Actor> ViewerAsync() => Of(await UserAsync(), origin.Address);

    /// <summary>The person as Core knows them: subject, name, where from, and what their roles let them see.</summary>
    public static Actor Of(ClaimsPrincipal user, string? address)
    {
        var signedIn = user.Identity?.IsAuthenticated == true;
        return new(
            signedIn ? user.Identity!.Name ?? "" : "",
            address ?? "unknown",
            IsAdmin: user.IsInRole(Roles.Admin),
            SeesEveryRun: user.IsInRole(Roles.Reviewer) || user.IsInRole(Roles.Admin))
        {
            Subject = signedIn ? user.FindFirstValue(SubjectClaim) ?? "" : "",
        };
    }

    /// <summary>Records what this page refused its person (<c>access.denied</c>), under their name and subject.
    /// No fresh session check and no actor: a refusal is not an action.</summary>
    public async Task RecordRefusalAsync(SoxAuto.Core.Audit.AuditTrail audit, string subject, string detail) =>
        await audit.RecordAsync(await UserAsync(), origin.Address ?? "unknown", "access.denied", subject, detail);
}

/// <summary>An action refused because its person's sign-in session has ended.</summary>
public sealed class SessionEndedException() : UnauthorizedAccessException(
    "Your session has ended (you signed out, perhaps in another tab, or it expired), so nothing was done. Sign in again to continue.");
