using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SoxAuto.Web.Auth;

/// <summary>
/// Behind a reverse proxy that terminates TLS, SoxAuto sees the proxy's address and plain http: the
/// session cookie would not be marked Secure and the audit trail would record the proxy for everyone.
/// The proxy says what it received in X-Forwarded-Proto and X-Forwarded-For; those headers are believed
/// only from a trusted proxy. Two ways to turn this on (docs/operations/behind-a-proxy.md):
/// SoxAuto:ForwardedHeaders:KnownProxies / KnownNetworks (trust exactly these), or the framework's own
/// ASPNETCORE_FORWARDEDHEADERS_ENABLED=true (trusts any sender, unless those keys narrow it).
/// </summary>
public static class TrustedProxies
{
    public const string KnownProxiesKey = "SoxAuto:ForwardedHeaders:KnownProxies";
    public const string KnownNetworksKey = "SoxAuto:ForwardedHeaders:KnownNetworks";

    /// <summary>The configuration key behind ASPNETCORE_FORWARDEDHEADERS_ENABLED; when it is true the
    /// host itself runs the forwarded-headers middleware before anything else.</summary>
    private const string FrameworkSwitch = "FORWARDEDHEADERS_ENABLED";

    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var proxies = Parts(builder.Configuration, KnownProxiesKey).Select(part => IPAddress.TryParse(part, out var address)
            ? address : throw Refusal(builder.Configuration, KnownProxiesKey, part, "IP addresses, e.g. 10.0.0.5")).ToList();
        var networks = Parts(builder.Configuration, KnownNetworksKey).Select(part => System.Net.IPNetwork.TryParse(part, out var network)
            ? network : throw Refusal(builder.Configuration, KnownNetworksKey, part, "networks in CIDR form, e.g. 10.0.0.0/8")).ToList();
        if (proxies.Count + networks.Count == 0) return builder;
        // After the framework's own setup, which (with its switch on) trusts everyone.
        builder.Services.PostConfigure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        return builder;
    }

    /// <summary>First in the pipeline: everything after it (HSTS, the cookie, the audit trail, the
    /// rate limiter) must see the browser's scheme and address.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var listed = !string.IsNullOrWhiteSpace(app.Configuration[KnownProxiesKey]) || !string.IsNullOrWhiteSpace(app.Configuration[KnownNetworksKey]);
        var switchedOn = string.Equals(app.Configuration[FrameworkSwitch], "true", StringComparison.OrdinalIgnoreCase);
        if (listed && !switchedOn) app.UseForwardedHeaders();
        return app;
    }

    private static string[] Parts(IConfiguration configuration, string key) =>
        (configuration[key] ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static StartupRefusalException Refusal(IConfiguration configuration, string key, string part, string expected) =>
        new($"SoxAuto cannot start: {key} = '{configuration[key]}' is not a list of {expected}: '{part}' is not one.");
}
