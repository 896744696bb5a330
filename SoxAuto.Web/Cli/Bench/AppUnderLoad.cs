using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SoxAuto.Core;

namespace SoxAuto.Web.Cli.Bench;

/// <summary>
/// The web app as Program.cs builds it, started in this process on a loopback port with its own data
/// folder, and a signed-in HTTP client (local demo sign-in, as Ada Auditor) that times page requests.
/// </summary>
public sealed partial class AppUnderLoad : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private AppUnderLoad(WebApplication app, HttpClient client) => (_app, _client) = (app, client);

    public static async Task<AppUnderLoad> StartAsync(string dataPath, Dictionary<string, double> figures)
    {
        var watch = Stopwatch.StartNew();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development", // the local demo sign-in
            Args = [$"--SoxAuto:DataPath={dataPath}", "--urls=http://127.0.0.1:0"],
        });
        builder.Logging.ClearProviders();
        builder.AddSoxAutoCore();
        builder.AddSoxAutoWeb();
        var app = builder.Build();
        app.MapSoxAutoWeb();
        await app.StartAsync();
        figures["app_start_s"] = watch.Elapsed.TotalSeconds; // the first start also generates the demo lake

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var load = new AppUnderLoad(app, client);
        await load.SignInAsync();
        return load;
    }

    /// <summary>Requests the runs page (rendered on the server from the database) and returns the time
    /// until its whole HTML has arrived, in milliseconds.</summary>
    public async Task<double> ProbeAsync()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _client.GetAsync("/runs");
        var html = await response.Content.ReadAsStringAsync();
        watch.Stop();
        if (!response.IsSuccessStatusCode || response.RequestMessage?.RequestUri?.AbsolutePath != "/runs")
            throw new InvalidOperationException($"GET /runs answered {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}.");
        return watch.Elapsed.TotalMilliseconds;
    }

    private async Task SignInAsync()
    {
        var page = await _client.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(page);
        if (!token.Success) throw new InvalidOperationException("The sign-in page has no antiforgery token (is the local demo sign-in on?).");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["person"] = "ada",
            ["returnUrl"] = "/runs",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        using var response = await _client.PostAsync("/auth/signin", form);
        if (response.RequestMessage?.RequestUri?.AbsolutePath != "/runs")
            throw new InvalidOperationException($"Signing in ended at {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}).");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)""")]
    private static partial Regex AntiforgeryToken();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
