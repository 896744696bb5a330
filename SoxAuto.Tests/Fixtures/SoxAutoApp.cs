using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Fixtures;

/// <summary>
/// The real SoxAuto web app (Program, every service, the worker) on a real loopback port, so that a
/// browser or an HttpClient talks to it exactly as people do. Each instance has its own fresh data
/// folder (SQLite, evidence) and shares the demo lake generated once per test process.
/// </summary>
public sealed partial class SoxAutoApp : WebApplicationFactory<Program>
{
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;

    private SoxAutoApp(string environment, IReadOnlyDictionary<string, string?>? settings)
    {
        _environment = environment;
        DataPath = Directory.CreateTempSubdirectory("soxauto-web-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["SoxAuto:DataPath"] = DataPath,
            ["SoxAuto:PollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
        // The shared lake is generated on first use; a caller that names its own lake skips that.
        if (!_settings.ContainsKey("SoxAuto:LakePath"))
            _settings["SoxAuto:LakePath"] = SharedLake.Path;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Starts the app (Development, local demo sign-in unless <paramref name="settings"/> say
    /// otherwise) and returns once it listens. Start-up runs first: migrations, seed catalog, lake.</summary>
    public static SoxAutoApp Start(string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new SoxAutoApp(environment, settings);
        try
        {
            app.StartServer();
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>This instance's data folder (database, evidence), deleted on dispose.</summary>
    public string DataPath { get; }

    /// <summary>Where the app listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("The server reports no address.");
            return new Uri(addresses.First().TrimEnd('/') + "/");
        }
    }

    /// <summary>An HttpClient with its own cookies, signed in through the local sign-in page (the
    /// antiforgery token is taken from the page, as a browser would). <paramref name="person"/> is a
    /// demo person's id or name (see <see cref="DemoPeople"/>). Redirects are not followed unless
    /// asked, so tests can see a 302 to /signin or /access-denied.</summary>
    public async Task<HttpClient> SignedInClientAsync(string person, bool followRedirects = false)
    {
        var who = DemoPeople.All.FirstOrDefault(p => p.Id == person || p.Name == person)
            ?? throw new ArgumentException($"No demo person '{person}'. Known: {string.Join(", ", DemoPeople.All.Select(p => p.Id))}.");
        var client = AnonymousClient(followRedirects);
        var page = await client.GetStringAsync(AuthRegistration.SignInPath);
        var token = AntiforgeryField().Match(page);
        if (!token.Success)
            throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        using var response = await client.PostAsync(LocalSignInEndpoints.SignInAction, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["person"] = who.Id,
            ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect && !(followRedirects && response.IsSuccessStatusCode))
            throw new InvalidOperationException($"Signing in as {who.Name} answered {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>An HttpClient with an empty cookie jar (nobody signed in).</summary>
    public HttpClient AnonymousClient(bool followRedirects = false) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects })
        {
            BaseAddress = BaseAddress,
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // UseSetting is seen while Program builds (the sign-in mode is chosen there);
        // the in-memory source, added last, wins over appsettings*.json.
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteQuietly();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteQuietly();
    }

    private void DeleteQuietly()
    {
        try { Directory.Delete(DataPath, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
