using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>The session cookie's life, kept in step with its <see cref="SignInSessions"/> row: a
/// sign-in opens a session (whatever the sign-in mode), every request checks it is still open, a
/// renewal extends it, a sign-out ends it. Sign-ins are recorded here, once the cookie is issued: in the
/// audit trail, and the person's roles and where they came from in the people table (<see cref="People"/>).</summary>
public sealed class SessionCookieEvents(SignInSessions sessions, SignInTokens tokens, AuditTrail audit, People people) : CookieAuthenticationEvents
{
    /// <summary>An AuthenticationProperties item the sign-in sets: the detail of its audit entry.</summary>
    public const string SignInDetail = "soxauto.signin-detail";

    /// <summary>An AuthenticationProperties item the sign-in sets: how they signed in, their groups and role grants.</summary>
    private const string SignInAccess = "soxauto.signin-access";

    private sealed record Access(string Kind, IReadOnlyList<string> Groups, IReadOnlyList<RoleGrant> Roles);

    /// <summary>Called by each sign-in before it signs in: kept for the people table, not in the cookie.</summary>
    public static void KeepAccess(AuthenticationProperties properties, string kind, IEnumerable<string> groups, IEnumerable<RoleGrant> roles) =>
        properties.Items[SignInAccess] = JsonSerializer.Serialize(new Access(kind, groups.ToList(), roles.ToList()));

    public override async Task SigningIn(CookieSigningInContext context)
    {
        var http = context.HttpContext;
        // Kept for the audit entry, not in the cookie.
        if (context.Properties.Items.Remove(SignInDetail, out var detail))
            http.Items[SignInDetail] = detail;
        if (context.Properties.Items.Remove(SignInAccess, out var access))
            http.Items[SignInAccess] = access;
        // A new sign-in in this browser replaces the session it had.
        // Its refresh token is deleted, not revoked: at some providers it shares a grant with the new sign-in's.
        await sessions.EndAsync(http.User, "replaced by a new sign-in", http.RequestAborted);
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        var expires = context.Properties.ExpiresUtc ?? throw new InvalidOperationException("The cookie handler sets the expiry before signing in.");
        // The provider's refresh token (single sign-on with offline_access) is kept with the session, protected, and
        // never in the cookie: of the tokens the sign-in saved, the cookie keeps only the ID token (the sign-out hint).
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (context.Properties.GetTokens().ToList() is { Count: > 0 } tokens)
            context.Properties.StoreTokens(tokens.Where(t => t.Name == "id_token"));
        identity.AddClaim(new Claim(SignInSessions.Claim, await sessions.StartAsync(identity.Name ?? "?",
            identity.FindFirst(SignedInPerson.SubjectClaim)?.Value, expires, refreshToken, http.RequestAborted)));
    }

    public override async Task SignedIn(CookieSignedInContext context)
    {
        // Recorded once the cookie is issued: the trail says what happened, not what was attempted.
        var http = context.HttpContext;
        var user = context.Principal!;
        // Who by their subject (issuer#sub with single sign-on), as runs, approvals and the access review know them.
        var subject = user.FindFirstValue(SignedInPerson.SubjectClaim) ?? user.FindFirstValue("sub") ?? "?";
        await audit.RecordAsync(new Actor(user.Identity?.Name ?? "?", ClientOrigin.Of(http)) { Subject = subject }, "signin", $"person/{subject}",
            http.Items[SignInDetail] as string ?? "", http.RequestAborted);
        if (http.Items[SignInAccess] is string json && JsonSerializer.Deserialize<Access>(json) is { } access)
            await people.SignedInAsync(new Person
            {
                Subject = subject,
                Name = user.Identity?.Name ?? "?",
                Email = user.FindFirstValue("email"),
                SignIn = access.Kind,
                Roles = [.. access.Roles],
                Groups = [.. access.Groups],
            }, http.RequestAborted);
    }

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (await sessions.IsOpenAsync(context.Principal!, context.HttpContext.RequestAborted))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public override async Task CheckSlidingExpiration(CookieSlidingExpirationContext context)
    {
        if (context.ShouldRenew)
            await sessions.ExtendAsync(context.Principal!, context.Options.ExpireTimeSpan, context.HttpContext.RequestAborted);
    }

    /// <summary>Signing out ends the session, and its refresh token at the provider too: deleting it here stops SoxAuto
    /// from using it, revoking it stops anyone who might hold a copy.</summary>
    public override async Task SigningOut(CookieSigningOutContext context)
    {
        var http = context.HttpContext;
        if (await sessions.EndAsync(http.User, "signed out", http.RequestAborted) is { } refreshToken)
            await tokens.RevokeAsync(refreshToken, http.RequestAborted);
    }

    /// <summary>A forbidden request (not a missing sign-in) is an event worth keeping.</summary>
    public override async Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        await audit.RecordAsync(http.User, ClientOrigin.Of(http), "access.denied",
            http.Request.Path + http.Request.QueryString, $"{http.Request.Method}; roles: {AuthRegistration.RolesOf(http.User)}", http.RequestAborted);
        context.Response.Redirect(context.RedirectUri);
    }
}
