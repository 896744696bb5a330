using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;

namespace SoxAuto.Web.Auth;

/// <summary>Sign-in and authorization for the web app: the cookie, the sign-in mode, the policies.</summary>
public static class AuthRegistration
{
    public const string ModeKey = "SoxAuto:Auth:Mode";
    public const string SignInPath = "/signin";
    public const string AccessDeniedPath = "/access-denied";

    public const string CookieLifetimeKey = "SoxAuto:Auth:CookieLifetime";
    public const string SessionCheckIntervalKey = "SoxAuto:Auth:SessionCheckInterval";

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

    /// <summary>A positive time span such as 08:00:00 at <paramref name="key"/>, or the default.</summary>
    public static TimeSpan TimeSpanSetting(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new StartupRefusalException($"SoxAuto cannot start: {key} = '{text}' is not a positive time span such as {fallback:c}.");
    }

    public static WebApplicationBuilder AddSoxAutoAuth(this WebApplicationBuilder builder)
    {
        var mode = ChooseMode(builder.Configuration, builder.Environment);
        var oidc = mode == SignInMode.Oidc ? ReadOidcSettings(builder.Configuration) : null;
        builder.Services.AddSingleton(new SignInSettings(mode, oidc is null ? null : new Uri(oidc.Authority).Host));
        if (oidc is not null) builder.Services.AddSingleton(oidc);
        var lifetime = TimeSpanSetting(builder.Configuration, CookieLifetimeKey, TimeSpan.FromHours(8));
        var sessionCheck = TimeSpanSetting(builder.Configuration, SessionCheckIntervalKey, TimeSpan.FromSeconds(30));

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
                // The session's server-side record, and the audit of sign-ins and refusals.
                o.EventsType = typeof(SessionCookieEvents);
            });
        if (oidc is not null) auth.AddSoxAutoOidc(oidc, offlineAccess: PerUserAwsCredentials(builder.Configuration));
        builder.Services.AddAuthorizationBuilder().AddSoxAutoPolicies();
        builder.Services.AddScoped<SessionCookieEvents>();
        builder.Services.AddSingleton<SignInSessions>();
        // Replaces Core's "no tokens": signed-in people's runs can use their own AWS identity (PerUser).
        builder.Services.AddSingleton<SignInTokens>();
        builder.Services.AddSingleton<SoxAuto.Core.Engines.Athena.IPersonTokens>(sp => sp.GetRequiredService<SignInTokens>());
        builder.Services.AddSingleton(new SessionCheck(sessionCheck));
        // An open page re-checks its session (Blazor's own provider would keep the first identity).
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddSignInLimits(SignInLimit.Read(builder.Configuration));
        builder.Services.AddScoped<ClientOrigin>();
        builder.Services.AddScoped<SignedInPerson>();
        builder.Services.AddSingleton<AccessScope>();
        return builder;
    }

    /// <summary>SoxAuto:Athena:Credentials = PerUser: people's runs use their own AWS identity, renewed with their refresh token.</summary>
    private static bool PerUserAwsCredentials(IConfiguration configuration) =>
        string.Equals(configuration["SoxAuto:Athena:Credentials"]?.Trim(), nameof(SoxAuto.Core.Engines.Athena.AwsCredentialMode.PerUser), StringComparison.OrdinalIgnoreCase);

    public static WebApplication MapSoxAutoSignIn(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<SignInSettings>().Mode;
        if (mode == SignInMode.Local)
            app.MapLocalSignIn();
        else
            app.MapOidcSignIn();
        return app;
    }

    public static string RolesOf(ClaimsPrincipal user)
    {
        // Each identity names its own role claim type (ours is "role"; others may differ).
        var roles = user.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value).Distinct().ToList();
        return roles.Count == 0 ? "(none)" : string.Join(", ", roles);
    }

    /// <summary>HttpOnly and SameSite=Lax always; Secure unless the browser is on this machine over
    /// plain http (a developer's laptop, the tests). Anywhere else the cookie only travels over TLS.
    /// Behind a trusted proxy, scheme and address are the browser's (<see cref="TrustedProxies"/>).</summary>
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
