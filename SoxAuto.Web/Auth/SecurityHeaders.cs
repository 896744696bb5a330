namespace SoxAuto.Web.Auth;

/// <summary>Headers on every response: a content security policy that Blazor Server and MudBlazor
/// work under (scripts only from this site; MudBlazor sets inline styles; the circuit's WebSocket to
/// this host), no framing, no MIME sniffing, no referrer leaving the site.</summary>
public static class SecurityHeaders
{
    public static WebApplication UseSoxAutoSecurityHeaders(this WebApplication app)
    {
        // Sign-out posts a form that is redirected to the provider's end-session page: form-action
        // must allow that origin, or the browser stops the redirect.
        var provider = app.Services.GetService<OidcSettings>() is { } oidc ? " " + new Uri(oidc.Authority).GetLeftPart(UriPartial.Authority) : "";
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request.Host.Value ?? "", provider);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }

    public static string ContentSecurityPolicy(string host, string formTargets = "") =>
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        $"connect-src 'self' ws://{host} wss://{host}; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        $"form-action 'self'{formTargets}; " +
        "frame-ancestors 'none'";
}
