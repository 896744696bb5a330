using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SoxAuto.Core.Audit;

namespace SoxAuto.Web.Auth;

/// <summary>Sign-in and authorization for the web app: the cookie, the sign-in mode, the policies.</summary>
public static class AuthRegistration
{
    public const string ModeKey = "SoxAuto:Auth:Mode";
    public const string SignInPath = "/signin";
    public const string AccessDeniedPath = "/access-denied";

    /// <summary>Local demo sign-in only where it is safe to offer: the Development environment, or an
    /// explicit SoxAuto:Auth:Mode = Local. Anything else stops the app: a production start must not
    /// quietly fall back to "pick whoever you like".</summary>
    public static SignInMode ChooseMode(IConfiguration configuration, IHostEnvironment environment)
    {
        var mode = configuration[ModeKey]?.Trim();
        if (string.IsNullOrEmpty(mode))
        {
            if (environment.IsDevelopment()) return SignInMode.Local;
            throw new InvalidOperationException(
                $"SoxAuto cannot start: no sign-in is configured for the {environment.EnvironmentName} environment. " +
                $"Set {ModeKey} = Local to use the local demo sign-in (not for production); single sign-on (OIDC) is not available yet.");
        }
        if (string.Equals(mode, nameof(SignInMode.Local), StringComparison.OrdinalIgnoreCase))
            return SignInMode.Local;
        throw new InvalidOperationException(
            $"SoxAuto cannot start: {ModeKey} = '{mode}' is not a sign-in mode SoxAuto knows. Use Local (the demo sign-in, not for production).");
    }

    public static WebApplicationBuilder AddSoxAutoAuth(this WebApplicationBuilder builder)
    {
        var mode = ChooseMode(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(new SignInSettings(mode));

        // The cookie carries the session whatever the sign-in mode; a future OIDC mode adds its
        // challenge scheme here and keeps this cookie as the sign-in scheme.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie = new LoopbackAwareCookieBuilder
                {
                    Name = "soxauto.session",
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    IsEssential = true,
                };
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = AccessDeniedPath;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToAccessDenied = RecordDeniedAsync;
            });
        builder.Services.AddAuthorizationBuilder().AddSoxAutoPolicies();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<ClientOrigin>();
        builder.Services.AddScoped<SignedInPerson>();
        return builder;
    }

    public static WebApplication MapSoxAutoSignIn(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<SignInSettings>().Mode;
        if (mode == SignInMode.Local)
            app.MapLocalSignIn();
        return app;
    }

    /// <summary>A forbidden request (not a missing sign-in) is an event worth keeping.</summary>
    private static async Task RecordDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        var audit = http.RequestServices.GetRequiredService<AuditTrail>();
        await audit.RecordAsync(http.User.Identity?.Name ?? "anonymous", "access.denied",
            http.Request.Path + http.Request.QueryString, $"{http.Request.Method}; roles: {RolesOf(http.User)}",
            ClientOrigin.Of(http), http.RequestAborted);
        context.Response.Redirect(context.RedirectUri);
    }

    public static string RolesOf(ClaimsPrincipal user)
    {
        // Each identity names its own role claim type (ours is "role"; others may differ).
        var roles = user.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value).Distinct().ToList();
        return roles.Count == 0 ? "(none)" : string.Join(", ", roles);
    }

    /// <summary>HttpOnly and SameSite=Lax always; Secure unless the browser is on this machine over
    /// plain http (a developer's laptop, the tests). Anywhere else the cookie only travels over TLS.</summary>
    private sealed class LoopbackAwareCookieBuilder : RequestPathBaseCookieBuilder
    {
        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var options = base.Build(context, expiresFrom);
            var remote = context.Connection.RemoteIpAddress;
            options.Secure = context.Request.IsHttps || remote is null || !IPAddress.IsLoopback(remote);
            return options;
        }
    }
}
