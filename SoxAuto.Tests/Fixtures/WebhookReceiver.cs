using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SoxAuto.Tests.Fixtures;

/// <summary>A webhook receiver on a loopback port (Kestrel): it keeps every request it got, and answers 200
/// while <see cref="Accepting"/>, else 503, as a receiver that is down for maintenance would.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "test-only-webhook-secret-0123456789";

    public sealed record Request(IReadOnlyDictionary<string, string> Headers, byte[] Body, bool Accepted);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public volatile bool Accepting = true;
    /// <summary>Waited before answering: a slow receiver, so that senders overlap.</summary>
    public TimeSpan Delay { get; set; }
    public Uri Url { get; private set; } = null!;
    public IReadOnlyList<Request> Requests => [.. _requests];
    public IReadOnlyList<Request> AcceptedRequests => [.. _requests.Where(r => r.Accepted)];

    public Dictionary<string, string?> Settings() => new()
    {
        ["SoxAuto:Notifications:Webhook:Url"] = Url.ToString(),
        ["SoxAuto:Notifications:Webhook:Secret"] = Secret,
    };

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/soxauto", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            if (receiver.Delay > TimeSpan.Zero) await Task.Delay(receiver.Delay);
            var accepted = receiver.Accepting;
            receiver._requests.Enqueue(new Request(
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), accepted));
            return accepted ? Results.Ok() : Results.Text("down for maintenance", statusCode: 503);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hooks/soxauto");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
