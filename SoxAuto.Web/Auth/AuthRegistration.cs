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

    public const string CookieLifetimeKey = "SoxAuto:Auth:CookieLifetime";

    /// <summary>Single sign-on when the provider is configured (SoxAuto:Auth:Oidc:Authority). The local
    /// demo sign-in only where it is safe to offer: the Development environment, or an explicit
    /// SoxAuto:Auth:Mode = Local. Anything else stops the app: a production start must not quietly
    /// fall back to "pick whoever you like".</summary>
    public static SignInMode ChooseMode(IConfiguration configuration, IHostEnvironment environment)
    {
        var mode = configuration[ModeKey]?.Trim();
        var hasAuthority = !string.IsNullOrWhiteSpace(configuration[$"{OidcSettings.Section}:Authority"]);
        if (string.IsNullOrEmpty(mode))
        {
            if (hasAuthority) return SignInMode.Oidc;
            if (environment.IsDevelopment()) return SignInMode.Local;
            throw new StartupRefusalException(
                $"SoxAuto cannot start: no sign-in is configured for the {environment.EnvironmentName} environment. " +
                $"Set {OidcSettings.Section}:Authority, :ClientId and :ClientSecret (and :RoleMapping) for single sign-on through Okta " +
                $"(see docs/operations/okta.md), or set {ModeKey} = Local to use the local demo sign-in (not for production).");
        }
        if (string.Equals(mode, nameof(SignInMode.Local), StringComparison.OrdinalIgnoreCase))
            return SignInMode.Local;
        if (string.Equals(mode, nameof(SignInMode.Oidc), StringComparison.OrdinalIgnoreCase))
            return hasAuthority ? SignInMode.Oidc : throw new StartupRefusalException(
                $"SoxAuto cannot start: {ModeKey} = Oidc but {OidcSettings.Section}:Authority is not set.");
        throw new StartupRefusalException(
            $"SoxAuto cannot start: {ModeKey} = '{mode}' is not a sign-in mode SoxAuto knows. Use Oidc (single sign-on) or Local (the demo sign-in, not for production).");
    }

    /// <summary>The OIDC settings, refused at start-up with every problem named.</summary>
    public static OidcSettings ReadOidcSettings(IConfiguration configuration)
    {
        var settings = new OidcSettings();
        configuration.GetSection(OidcSettings.Section).Bind(settings);
        var problems = settings.Problems();
        if (problems.Count > 0)
            throw new StartupRefusalException("SoxAuto cannot start: the single sign-on settings are incomplete. " + string.Join(" ", problems));
        return settings;
    }

    public static TimeSpan CookieLifetime(IConfiguration configuration)
    {
        var text = configuration[CookieLifetimeKey];
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromHours(8);
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) && lifetime > TimeSpan.Zero
            ? lifetime
            : throw new StartupRefusalException($"SoxAuto cannot start: {CookieLifetimeKey} = '{text}' is not a positive time span such as 08:00:00.");
    }

    public static WebApplicationBuilder AddSoxAutoAuth(this WebApplicationBuilder builder)
    {
        var mode = ChooseMode(builder.Configuration, builder.Environment);
        var oidc = mode == SignInMode.Oidc ? ReadOidcSettings(builder.Configuration) : null;
        builder.Services.AddSingleton(new SignInSettings(mode, oidc is null ? null : new Uri(oidc.Authority).Host));
        if (oidc is not null) builder.Services.AddSingleton(oidc);
        var lifetime = CookieLifetime(builder.Configuration);

        // The cookie carries the session whatever the sign-in mode; OIDC adds its challenge scheme
        // and signs in into this cookie.
        var auth = builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
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
                o.ExpireTimeSpan = lifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToAccessDenied = RecordDeniedAsync;
            });
        if (oidc is not null) auth.AddSoxAutoOidc(oidc);
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
        else
            app.MapOidcSignIn();
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
