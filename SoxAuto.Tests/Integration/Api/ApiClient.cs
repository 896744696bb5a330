using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Api;

/// <summary>What the API tests share: a client that sends a token, tokens issued through the service or the
/// verb, and waiting for a run to end by asking the API (a condition with a timeout).</summary>
public static class ApiClient
{
    /// <summary>Settings for an app the tests call often: the rate limit has a test of its own.</summary>
    public static readonly Dictionary<string, string?> Unthrottled = new() { ["SoxAuto:Api:RateLimit"] = "1000000" };

    public static SoxAutoApp Start(IReadOnlyDictionary<string, string?>? settings = null) => SoxAutoApp.Start(settings: settings ?? Unthrottled);

    /// <summary>An HttpClient with no cookies that presents <paramref name="token"/> (none when null).</summary>
    public static HttpClient With(SoxAutoApp app, string? token)
    {
        var client = app.AnonymousClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token issued through the Core service, as the admin page does.</summary>
    public static async Task<string> IssueAsync(SoxAutoApp app, string name, TokenScope scope, string expires = "30d") =>
        (await app.Services.GetRequiredService<AccessTokens>().IssueAsync(name, scope.ToString(), expires, new Actor("Alex Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alex Admin") })).Secret;

    /// <summary>A token issued by the <c>token issue</c> verb on the app's data folder, as an operator would.</summary>
    public static async Task<JsonElement> IssueByVerbAsync(SoxAutoApp app, string name, string role, string expires = "30d")
    {
        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(app.DataPath, "token", "issue", "--name", name, "--role", role, "--expires", expires);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> StartRunAsync(HttpClient client, string ipe = "IPE_09", string period = "2025-09", object? parameters = null) =>
        client.PostAsJsonAsync("api/v1/runs", new { ipe, period, parameters });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asks for the run until it has ended, as a script would poll it.</summary>
    public static async Task<JsonElement> UntilEndedAsync(HttpClient client, int runId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            using var response = await client.GetAsync($"api/v1/runs/{runId}");
            response.EnsureSuccessStatusCode();
            var run = await JsonAsync(response);
            if (run.GetProperty("state").GetString() is "Succeeded" or "Failed" or "Cancelled") return run;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Run {runId} is still {run.GetProperty("state")}.");
            await Task.Delay(200);
        }
    }
}
