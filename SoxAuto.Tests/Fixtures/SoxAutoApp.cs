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
    private readonly Action<IServiceCollection>? _services;

    private bool _keepData;

    private SoxAutoApp(string environment, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services = null, string? dataPath = null)
    {
        _environment = environment;
        _services = services;
        DataPath = dataPath ?? Directory.CreateTempSubdirectory("soxauto-web-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["SoxAuto:DataPath"] = DataPath,
            ["SoxAuto:PollInterval"] = "00:00:00.050",
            // Every test signs in from 127.0.0.1; the sign-in limit has tests of its own.
            ["SoxAuto:Auth:SignInLimit"] = "100000",
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
    /// <param name="services">Services added to the app's own (e.g. fixed AWS credentials for a fake S3).</param>
    public static SoxAutoApp Start(string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = new SoxAutoApp(environment, settings, services);
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

    /// <summary>Starts the app with single sign-on against a real OpenID provider (see
    /// <see cref="OidcProvider"/>) on its own loopback port; the provider stops with the app.</summary>
    /// <param name="idTokenLifetime">How long the provider's ID tokens last (default one hour).</param>
    public static async Task<SoxAutoApp> StartWithOidcAsync(string environment = "Production", IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, TimeSpan? idTokenLifetime = null)
    {
        var port = LoopbackPort.Free();
        var all = OidcProvider.AppSettings(port);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var app = Start(environment, all, services);
        try
        {
            app.Provider = await OidcProvider.StartAsync(port, app.BaseAddress, idTokenLifetime);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops this app as a restart would (the host stops; the data folder and the provider stay) and starts a new
    /// instance with the same settings on the same data. This instance is spent; dispose the one returned.</summary>
    public async Task<SoxAutoApp> RestartAsync()
    {
        var provider = Provider;
        Provider = null;
        _keepData = true;
        await DisposeAsync();
        var next = new SoxAutoApp(_environment, _settings, _services, DataPath) { Provider = provider };
        try
        {
            next.StartServer();
            return next;
        }
        catch
        {
            await next.DisposeAsync();
            throw;
        }
    }

    /// <summary>The OpenID provider people sign in with, when started by <see cref="StartWithOidcAsync"/>.</summary>
    public OidcProvider? Provider { get; private set; }

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
        if (Provider is not null)
            return await SignInThroughProviderAsync(person);
        var client = AnonymousClient(followRedirects);
        await SignInLocallyAsync(client, person, followRedirects);
        return client;
    }

    /// <summary>The antiforgery token of the forms on <paramref name="page"/>, as a browser would send it
    /// back (the page also sets its cookie in <paramref name="client"/>'s jar).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string page = AuthRegistration.SignInPath)
    {
        var token = AntiforgeryField().Match(await client.GetStringAsync(page));
        return token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new InvalidOperationException($"{page} has no antiforgery token.");
    }

    /// <summary>Signs <paramref name="client"/> (with its own cookies) in through the local sign-in
    /// page of whichever SoxAuto it talks to, taking the antiforgery token from the page.</summary>
    public static async Task SignInLocallyAsync(HttpClient client, string person, bool followRedirects = false)
    {
        var who = DemoPeople.All.FirstOrDefault(p => p.Id == person || p.Name == person)
            ?? throw new ArgumentException($"No demo person '{person}'. Known: {string.Join(", ", DemoPeople.All.Select(p => p.Id))}.");
        using var response = await client.PostAsync(LocalSignInEndpoints.SignInAction, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await FormTokenAsync(client),
            ["person"] = who.Id,
            ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect && !(followRedirects && response.IsSuccessStatusCode))
            throw new InvalidOperationException($"Signing in as {who.Name} answered {(int)response.StatusCode}.");
    }

    /// <summary>Signs in through the provider's pages over HTTP, as a browser would: SoxAuto's
    /// /auth/login, the provider's authorize (after PAR), its login form, consent, and back to
    /// /signin-oidc. <paramref name="person"/> is a provider username or name. Redirects are not
    /// followed by the returned client.</summary>
    public async Task<HttpClient> SignInThroughProviderAsync(string person, string returnUrl = "/")
    {
        var username = OidcProvider.People.FirstOrDefault(p => p.Key == person || p.Value.Name == person).Key
            ?? throw new ArgumentException($"No provider person '{person}'.");
        var client = AnonymousClient();
        var (login, _) = await FollowAsync(client, await client.GetAsync($"auth/login?returnUrl={Uri.EscapeDataString(returnUrl)}"));
        using (login)
        {
            if (login.RequestMessage!.RequestUri!.Port != Provider!.Issuer.Port || !login.IsSuccessStatusCode)
                throw new InvalidOperationException($"Expected the provider's login page, got {(int)login.StatusCode} at {login.RequestMessage.RequestUri}.");
            var (landed, visited) = await FollowAsync(client, await client.PostAsync(login.RequestMessage.RequestUri, new FormUrlEncodedContent(
                new Dictionary<string, string> { ["username"] = username, ["password"] = OidcProvider.Password })));
            using (landed)
                if (!visited.Any(u => u.AbsolutePath == "/signin-oidc"))
                    throw new InvalidOperationException($"Signing in as {username} did not come back to SoxAuto: {(int)landed.StatusCode} at {landed.RequestMessage!.RequestUri}.");
        }
        return client;
    }

    /// <summary>Follows redirects by hand (across SoxAuto and the provider, one cookie jar), returning
    /// the last response and every address visited.</summary>
    public static async Task<(HttpResponseMessage Last, List<Uri> Visited)> FollowAsync(HttpClient client, HttpResponseMessage response)
    {
        var visited = new List<Uri> { response.RequestMessage!.RequestUri! };
        for (var hops = 0; (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; hops++)
        {
            if (hops == 20) throw new InvalidOperationException("Too many redirects: " + string.Join(" -> ", visited));
            var next = new Uri(response.RequestMessage!.RequestUri!, location);
            response.Dispose();
            response = await client.GetAsync(next);
            visited.Add(next);
        }
        return (response, visited);
    }

    /// <summary>Runs an IPE as <paramref name="person"/> through the real services and waits until it ends.</summary>
    /// <param name="username">The provider's username of the person (with single sign-on), when another
    /// person has the same name; by default the first provider person of that name.</param>
    public async Task<SoxAuto.Core.Runs.Run> RunToEndAsync(string ipe, string period, string person, string? username = null)
    {
        var run = await Services.GetRequiredService<SoxAuto.Core.Runs.RunService>()
            .RequestAsync(ipe, period, null, new SoxAuto.Core.Runs.Actor(person, "test") { Subject = SubjectOf(person, username) });
        var dbs = Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SoxAuto.Core.Data.SoxAutoDb>>();
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync();
            var now = await db.Runs.FindAsync(run.Id) ?? throw new InvalidOperationException($"Run {run.Id} vanished.");
            if (now.IsFinal) return now;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Run {run.Id} is still {now.State}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The subject <paramref name="person"/> has when they sign in to this app: the provider's issuer
    /// and their username with single sign-on, else their demo id.</summary>
    public string SubjectOf(string person, string? username = null) => Provider is { } provider
        ? provider.SubjectOf(username ?? OidcProvider.People.First(p => p.Value.Name == person).Key)
        : TestPeople.SubjectOf(person);

    /// <summary>An HttpClient with an empty cookie jar (nobody signed in).</summary>
    public HttpClient AnonymousClient(bool followRedirects = false)
    {
        var jar = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };
        Jars.Add(client, jar);
        return client;
    }

    /// <summary>The cookie jar of a client made by <see cref="AnonymousClient"/>.</summary>
    public static CookieContainer CookiesOf(HttpClient client) =>
        Jars.TryGetValue(client, out var jar) ? jar : throw new ArgumentException("Not a client of SoxAutoApp.");

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Jars = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Outside Development the built assets (scoped CSS, component scripts) are only found
        // through the static web assets manifest, as a published app finds them in wwwroot.
        builder.UseStaticWebAssets();
        // UseSetting is seen while Program builds (the sign-in mode is chosen there);
        // the in-memory source, added last, wins over appsettings*.json.
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Provider is not null) await Provider.DisposeAsync();
        await base.DisposeAsync();
        DeleteQuietly();
    }

    protected override void Dispose(bool disposing)
    {
        Provider?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
        DeleteQuietly();
    }

    private void DeleteQuietly()
    {
        if (_keepData) return;
        try { Directory.Delete(DataPath, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
