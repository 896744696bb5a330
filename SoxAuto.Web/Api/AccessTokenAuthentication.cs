using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Tokens;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Api;

/// <summary>
/// <c>Authorization: Bearer soxauto_...</c>, the API's only way in. A token's principal carries its role
/// (one of <see cref="Roles"/>, so the same policies apply as on the pages) and the name <c>token:&lt;name&gt;</c>,
/// under which its runs and downloads are recorded. The cookie scheme never looks at this header, and the
/// API names only this scheme, so a session cookie does not open the API and a token does not open a page.
/// Answers 401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750) for a missing, unknown, revoked or expired
/// token, and 403 for a token whose role may not do what it asks.
/// </summary>
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokens tokens, SignInRefusals refusals, AuditTrail audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";
    public const string TokenClaim = "soxauto_token";

    private TokenRefusal? _refusal;

    /// <summary>The secret a request presents, or null when it has no bearer Authorization header.</summary>
    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && header.Length > bearer.Length
            ? header[bearer.Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } secret) return AuthenticateResult.NoResult();
        var origin = ClientOrigin.Of(Context);
        var check = await tokens.CheckAsync(secret, origin, Request.Path, Context.RequestAborted);
        if (!check.Accepted)
        {
            _refusal = check.Refusal;
            // Anyone can send made-up tokens, as often as they like: recorded as refused sign-ins are,
            // the first from an address in full, the rest counted. Never the secret, only where its hash begins.
            if (check.Refusal == TokenRefusal.Unknown)
                await refusals.RecordAsync("token.refused", Request.Path,
                    $"an unknown access token (SHA-256 {AccessTokens.HashOf(secret)[..12]}...)", origin, Context.RequestAborted);
            return AuthenticateResult.Fail($"The access token is {check.Refusal.ToString()!.ToLowerInvariant()}.");
        }
        var token = check.Token!;
        var identity = new ClaimsIdentity(
            [new Claim(Roles.NameClaim, token.Identity), new Claim(SignedInPerson.SubjectClaim, token.Identity), new Claim(Roles.RoleClaim, RoleOf(token.Scope)), new Claim(TokenClaim, token.Name)],
            SchemeName, Roles.NameClaim, Roles.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A token's scope as the role the policies know.</summary>
    public static string RoleOf(TokenScope scope) => scope switch
    {
        TokenScope.Auditor => Roles.Auditor,
        TokenScope.Reviewer => Roles.Reviewer,
        TokenScope.Admin => Roles.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "A token scope without a role."),
    };

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (error, description) = _refusal switch
        {
            null => ("", "This request needs an access token: send the header Authorization: Bearer <token>."),
            TokenRefusal.Revoked => ("invalid_token", "The access token has been revoked."),
            TokenRefusal.Expired => ("invalid_token", "The access token has expired."),
            _ => ("invalid_token", "The access token is not known."),
        };
        Response.Headers.WWWAuthenticate = error.Length == 0
            ? "Bearer realm=\"SoxAuto\""
            : $"Bearer realm=\"SoxAuto\", error=\"{error}\", error_description=\"{description}\"";
        await Problem(StatusCodes.Status401Unauthorized, "Not authenticated", description);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var user = Context.User;
        await audit.RecordAsync(user, ClientOrigin.Of(Context), "access.denied", Request.Path + Request.QueryString,
            $"{Request.Method}; roles: {AuthRegistration.RolesOf(user)}", Context.RequestAborted);
        await Problem(StatusCodes.Status403Forbidden, "Not allowed",
            $"This token's role ({AuthRegistration.RolesOf(user)}) may not do this. Ask an admin for a token with the role it needs.");
    }

    private Task Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);
}
