using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>
/// Single sign-on with OpenID Connect, the way the framework's Blazor OIDC sample sets it up:
/// authorization code flow with PKCE (and PAR when the provider offers it, as Okta does), inbound
/// claims kept as the provider names them, the session in SoxAuto's own cookie. At sign-in the
/// person's groups are turned into SoxAuto roles (<see cref="OidcSettings.RoleMapping"/>); the
/// session carries only the name, subject, email and those roles.
/// </summary>
public static class OidcSignIn
{
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string SignInAction = "/auth/login";
    /// <summary>Where the provider sends the person back with the code (the redirect URI registered at the provider).</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>How people who sign in this way are described in the access review.</summary>
    public const string SignInKind = "Single sign-on";

    /// <param name="offlineAccess">Ask for a refresh token (scope offline_access): with per-person AWS credentials it renews
    /// the person's ID token for long runs and for runs re-attached after a restart (see <see cref="SignInTokens"/>).</param>
    public static AuthenticationBuilder AddSoxAutoOidc(this AuthenticationBuilder auth, OidcSettings settings, bool offlineAccess = false) =>
        auth.AddOpenIdConnect(Scheme, "Single sign-on", o =>
        {
            o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.CallbackPath = CallbackPath;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            o.PushedAuthorizationBehavior = PushedAuthorizationBehavior.UseIfAvailable;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be
            // SameSite=Lax (a cross-site form_post would need SameSite=None, which plain-http loopback
            // cannot carry). PKCE binds the code to this browser's sign-in either way.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            foreach (var scope in settings.ScopeList) o.Scope.Add(scope);
            if (offlineAccess && !o.Scope.Contains(OpenIdConnectScope.OfflineAccess)) o.Scope.Add(OpenIdConnectScope.OfflineAccess);
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false; // the groups come in the ID token (Okta's groups claim filter)
            o.SaveTokens = true;                     // the ID token is the hint that ends the provider's session; the
                                                     // refresh token is taken out before the cookie is written (SessionCookieEvents)
            o.TokenValidationParameters.NameClaimType = settings.NameClaim;
            o.TokenValidationParameters.RoleClaimType = settings.GroupsClaim;
            o.Events.OnTokenValidated = context => ReadIdentity(context, settings);
            o.Events.OnRemoteFailure = OnRemoteFailureAsync;
        });

    public static void MapOidcSignIn(this IEndpointRouteBuilder app)
    {
        // A GET starts the sign-in (it changes nothing here); the provider's page does the rest.
        app.MapGet(SignInAction, ([FromQuery] string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalSignInEndpoints.SafeReturnUrl(returnUrl) }, [Scheme]))
            .AllowAnonymous();
        app.MapPost(LocalSignInEndpoints.SignOutAction, SignOutAsync).AllowAnonymous();
    }

    /// <summary>Ends SoxAuto's session and the provider's (RP-initiated logout), then back to /signin.
    /// The form field makes the endpoint demand the antiforgery token.</summary>
    private static async Task<IResult> SignOutAsync([FromForm] string? returnUrl, HttpContext http, AuditTrail audit)
    {
        if (http.User.Identity?.IsAuthenticated != true)
            return Results.LocalRedirect(AuthRegistration.SignInPath);
        var subject = http.User.FindFirstValue(SignedInPerson.SubjectClaim) ?? "";
        http.RequestServices.GetRequiredService<SignInTokens>().Forget(subject);
        await audit.RecordAsync(new Actor(http.User.Identity.Name ?? "?", ClientOrigin.Of(http)) { Subject = subject }, "signout", $"person/{subject}",
            "Single sign-on; the provider's session is ended too.");
        return Results.SignOut(new AuthenticationProperties { RedirectUri = AuthRegistration.SignInPath },
            [CookieAuthenticationDefaults.AuthenticationScheme, Scheme]);
    }

    /// <summary>The session keeps only the name, subject (with SoxAuto's issuer-qualified form), email,
    /// provider session id and SoxAuto roles.</summary>
    private static Task ReadIdentity(TokenValidatedContext context, OidcSettings settings)
    {
        var token = context.Principal!;
        var name = token.FindFirstValue(settings.NameClaim) ?? token.FindFirstValue("preferred_username") ?? token.FindFirstValue("sub") ?? "?";
        var groups = token.FindAll(settings.GroupsClaim).Select(c => c.Value).ToList();
        var roles = settings.RolesFor(groups);
        Claim?[] kept = [token.FindFirst("sub"), token.FindFirst("email"), token.FindFirst("sid")];
        // Who they are: the issuer and subject, which the provider keeps stable whatever the name.
        var subject = PersonSubject.Oidc(token.FindFirstValue("iss") ?? settings.Authority, token.FindFirstValue("sub") ?? name);
        var identity = new ClaimsIdentity(
            [new Claim(Roles.NameClaim, name), new Claim(SignedInPerson.SubjectClaim, subject), .. kept.OfType<Claim>().Select(c => new Claim(c.Type, c.Value)), .. roles.Select(r => new Claim(Roles.RoleClaim, r))],
            authenticationType: "Oidc", nameType: Roles.NameClaim, roleType: Roles.RoleClaim);
        context.Principal = new ClaimsPrincipal(identity);
        // Kept in memory for per-person AWS credentials; never logged (see SignInTokens).
        if (context.SecurityToken?.RawData is { Length: > 0 } idToken)
            context.HttpContext.RequestServices.GetRequiredService<SignInTokens>()
                .Keep(subject, new(token.FindFirstValue("sub") ?? name, idToken, groups));

        // Recorded by the cookie's events once the session cookie is issued (SessionCookieEvents).
        context.Properties!.Items[SessionCookieEvents.SignInDetail] =
            $"Single sign-on; groups: {(groups.Count == 0 ? "(none)" : string.Join(", ", groups))}; roles: {(roles.Count == 0 ? "(none)" : string.Join(", ", roles))}";
        // Which group gave which role, for the access review.
        SessionCookieEvents.KeepAccess(context.Properties, SignInKind, groups, roles.Select(r => new RoleGrant(r,
            string.Join(", ", groups.Where(g => string.Equals(settings.RoleMapping.GetValueOrDefault(g)?.Trim(), r, StringComparison.OrdinalIgnoreCase)).Select(g => $"group {g}")))));
        return Task.CompletedTask;
    }

    /// <summary>A refused or broken sign-in (the person cancelled, the state was tampered with) is
    /// recorded (bounded: see <see cref="SignInRefusals"/>) and explained on the sign-in page instead
    /// of an exception page.</summary>
    private static async Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<SignInRefusals>().RecordAsync("signin.failed", "oidc",
            context.Failure?.Message ?? "Unknown failure.", ClientOrigin.Of(http), http.RequestAborted);
        context.Response.Redirect($"{AuthRegistration.SignInPath}?failed=1");
        context.HandleResponse();
    }
}
