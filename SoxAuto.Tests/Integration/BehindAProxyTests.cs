using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Behind a reverse proxy that terminates TLS: what the proxy forwards (X-Forwarded-Proto,
/// X-Forwarded-For) is believed from a trusted proxy only. Then the session cookie is Secure, the audit
/// trail records the browser's address, and HSTS is sent outside Development. The tests' requests come
/// from 127.0.0.1, trusted or not depending on the settings.</summary>
public sealed class BehindAProxyTests
{
    private const string Browser = "203.0.113.7";

    [Fact]
    public async Task From_a_trusted_proxy_the_cookie_is_Secure_and_the_trail_records_the_browser_s_address()
    {
        await using var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:ForwardedHeaders:KnownProxies"] = "127.0.0.1, ::1" });

        var (cookie, origin) = await SignInThroughProxyAsync(app);

        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Browser, origin);
    }

    [Theory]
    [InlineData("")]   // nothing configured: nothing is believed
    [InlineData("SoxAuto:ForwardedHeaders:KnownProxies=192.0.2.1; SoxAuto:ForwardedHeaders:KnownNetworks=10.0.0.0/8")]
    [InlineData("ForwardedHeaders_Enabled=true; SoxAuto:ForwardedHeaders:KnownProxies=192.0.2.1")]   // the framework switch, narrowed
    public async Task From_an_address_that_is_not_a_trusted_proxy_the_forwarded_headers_are_ignored(string settings)
    {
        await using var app = SoxAutoApp.Start(settings: settings.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]));

        var (cookie, origin) = await SignInThroughProxyAsync(app);

        Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("127.0.0.1", origin);
    }

    [Fact]
    public async Task The_standard_ASPNETCORE_FORWARDEDHEADERS_ENABLED_switch_works_in_the_real_process()
    {
        using var data = new TempDataFolder(SharedLake.Path);
        await using var app = await WebAppProcess.StartAsync("Production",
            new Dictionary<string, string> { ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = SharedLake.Path, ["SoxAuto:Auth:Mode"] = "Local" },
            new Dictionary<string, string?> { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });
        using var client = app.Client(new CookieContainer());

        using var response = await PostSignInAsync(client);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("soxauto.session="));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts);
    }

    [Fact]
    public async Task HSTS_is_sent_on_https_in_Production()
    {
        await using var app = SoxAutoApp.Start("Production", new Dictionary<string, string?>
        {
            ["SoxAuto:Auth:Mode"] = "Local",
            ["SoxAuto:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
        });
        using var client = app.AnonymousClient();

        using var response = await client.SendAsync(ThroughProxy(HttpMethod.Get, "/signin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task HSTS_is_not_sent_in_Development()
    {
        await using var app = SoxAutoApp.Start("Development", new Dictionary<string, string?> { ["SoxAuto:ForwardedHeaders:KnownProxies"] = "127.0.0.1" });
        using var client = app.AnonymousClient();

        using var response = await client.SendAsync(ThroughProxy(HttpMethod.Get, "/signin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>Signs Ada in with the headers a TLS-terminating proxy adds; returns the session cookie
    /// as set and the origin the trail recorded for the sign-in.</summary>
    private static async Task<(string Cookie, string Origin)> SignInThroughProxyAsync(SoxAutoApp app)
    {
        using var client = app.AnonymousClient();
        using var response = await PostSignInAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("soxauto.session="));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var signIn = await db.AuditTrail.SingleAsync(a => a.Action == "signin");
        return (cookie, signIn.Origin);
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client)
    {
        // The page over plain http (its antiforgery cookie must come back over plain http too).
        var token = await SoxAutoApp.FormTokenAsync(client);
        var post = ThroughProxy(HttpMethod.Post, "/auth/signin");
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["person"] = "ada",
            ["returnUrl"] = "/",
        });
        return await client.SendAsync(post);
    }

    /// <summary>As a proxy forwards a browser's https request: its own Host name, the original scheme
    /// and the browser's address.</summary>
    private static HttpRequestMessage ThroughProxy(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = "soxauto.example";   // HSTS is never sent for localhost
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", Browser);
        return request;
    }
}
