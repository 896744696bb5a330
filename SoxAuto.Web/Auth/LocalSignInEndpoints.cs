using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Auth;

/// <summary>The local demo sign-in: POST a demo person's id (from the /signin page, with its
/// antiforgery token) and get the session cookie. Roles come from <see cref="DemoPeople"/> on the
/// server, never from the form.</summary>
public static class LocalSignInEndpoints
{
    public const string SignInAction = "/auth/signin";
    public const string SignOutAction = "/auth/signout";

    public static void MapLocalSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignInAction, SignInAsync).AllowAnonymous();
        app.MapPost(SignOutAction, SignOutAsync).AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string person, [FromForm] string? returnUrl, HttpContext http, SignInRefusals refusals)
    {
        // Decided first, so that nothing can fail once the cookie is issued.
        var back = SafeReturnUrl(returnUrl);
        var who = DemoPeople.Find(person);
        if (who is null)
        {
            await refusals.RecordAsync("signin.refused", $"person/{person}", "Unknown demo person.", ClientOrigin.Of(http));
            return Results.BadRequest("Unknown demo person.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(Roles.NameClaim, who.Name), new Claim("sub", who.Id), new Claim(SignedInPerson.SubjectClaim, who.Id), .. who.Roles.Select(r => new Claim(Roles.RoleClaim, r))],
            authenticationType: "LocalDemo", nameType: Roles.NameClaim, roleType: Roles.RoleClaim);
        // The sign-in is recorded by the cookie's events once the cookie is issued (SessionCookieEvents).
        var properties = new AuthenticationProperties(
            new Dictionary<string, string?> { [SessionCookieEvents.SignInDetail] = $"Local demo sign-in; roles: {string.Join(", ", who.Roles)}" });
        SessionCookieEvents.KeepAccess(properties, DemoPeople.SignInKind, [], DemoPeople.Grants(who));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        return Results.LocalRedirect(back);
    }

    // The form field also makes the endpoint demand the antiforgery token (a forged sign-out is refused).
    private static async Task<IResult> SignOutAsync([FromForm] string? returnUrl, HttpContext http, AuditTrail audit)
    {
        if (http.User.Identity?.IsAuthenticated == true)
            await audit.RecordAsync(new Actor(http.User.Identity.Name ?? "?", ClientOrigin.Of(http)) { Subject = http.User.FindFirstValue(SignedInPerson.SubjectClaim) ?? "?" },
                "signout", $"person/{http.User.FindFirstValue(SignedInPerson.SubjectClaim)}", "");
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // Back to the sign-in page, which offers to return to where the person was.
        var back = SafeReturnUrl(returnUrl);
        return Results.LocalRedirect(back == "/" ? AuthRegistration.SignInPath : $"{AuthRegistration.SignInPath}?returnUrl={Uri.EscapeDataString(back)}");
    }

    /// <summary>Only a path on this site: never an absolute or protocol-relative URL (open redirect),
    /// and only visible ASCII, since a control character or a raw non-ASCII one cannot go into a
    /// Location header (a browser sends its addresses escaped anyway).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith(AuthRegistration.SignInPath, StringComparison.OrdinalIgnoreCase)
            && returnUrl.All(c => c is > ' ' and <= '~')
            ? returnUrl
            : "/";
}
