using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Notifications;

/// <summary>Sends a notification as a signed JSON POST to SoxAuto:Notifications:Webhook:Url. Any 2xx answer
/// is success; anything else (a redirect too) is a failed attempt, retried later.</summary>
public sealed class WebhookChannel(IOptions<NotificationOptions> options, TimeProvider clock) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),   // DNS changes are seen
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,   // each attempt is bounded by SoxAuto:Notifications:Timeout
    };

    public async Task SendAsync(Notification n, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.WebhookOn)
            throw new NotificationException("The webhook is no longer configured (SoxAuto:Notifications:Webhook:Url is empty).");
        var body = Encoding.UTF8.GetBytes(n.Body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.EventHeader, n.Kind.EventName());
        request.Headers.Add(WebhookSignature.DeliveryHeader, n.EventId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(o.Webhook.Secret!, timestamp, body));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            var said = (await response.Content.ReadAsStringAsync(ct)).Trim();
            throw new NotificationException(
                $"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}{(said.Length > 0 ? ": " + (said.Length > 300 ? said[..300] + "…" : said) : "")}");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// How a webhook receiver knows a request came from SoxAuto and is not a replay:
/// X-SoxAuto-Signature is <c>sha256=</c> and the lowercase hex HMAC-SHA256, keyed with the shared secret
/// (its UTF-8 bytes), of the X-SoxAuto-Timestamp value (Unix seconds), a dot, and the raw body bytes.
/// The timestamp is inside what is signed, so an old request cannot be replayed with a fresh one:
/// a receiver refuses timestamps more than a few minutes away from its clock, and remembers the
/// X-SoxAuto-Delivery ids it has processed (a retried message keeps its id). See docs/operations/notifications.md.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-SoxAuto-Signature";
    public const string TimestampHeader = "X-SoxAuto-Timestamp";
    public const string DeliveryHeader = "X-SoxAuto-Delivery";
    public const string EventHeader = "X-SoxAuto-Event";

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
