using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>
/// Athena's JSON 1.1 protocol over HttpClient: <c>POST /</c> with <c>X-Amz-Target: AmazonAthena.&lt;Operation&gt;</c>,
/// signed by AWSSDK.Core's <see cref="SigV4SigningHandler"/> (service <c>athena</c>). Throttling, HTTP 5xx and
/// broken connections are retried with full-jitter exponential backoff; each try is a new request, signed afresh.
/// </summary>
public sealed class AthenaClient : IDisposable
{
    public const string JsonContentType = "application/x-amz-json-1.1";
    private static readonly MediaTypeHeaderValue ContentType = MediaTypeHeaderValue.Parse(JsonContentType);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly int _maxAttempts;
    private readonly TimeSpan _baseDelay;
    private readonly TimeProvider _clock;

    public AthenaClient(AthenaOptions options, AWSCredentials credentials, TimeProvider? clock = null, HttpMessageHandler? transport = null)
    {
        var region = RegionEndpoint.GetBySystemName(options.EffectiveRegion);
        _endpoint = AthenaOptions.NullIfBlank(options.ServiceUrl) is { } url
            ? new Uri(url.EndsWith('/') ? url : url + "/")
            : new Uri($"https://athena.{options.EffectiveRegion}.{(options.EffectiveRegion.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
        var signer = new SigV4SigningHandler(credentials, region, "athena",
            transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None });
        _http = new HttpClient(signer) { Timeout = TimeSpan.FromSeconds(60) };
        _maxAttempts = options.MaxAttempts;
        _baseDelay = options.RetryBaseDelay;
        _clock = clock ?? TimeProvider.System;
    }

    public Uri Endpoint => _endpoint;

    /// <summary>Calls one operation and returns its response document; throws <see cref="AthenaApiException"/>
    /// with Athena's error type and message once retries are exhausted or the error is not retryable.</summary>
    public async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken ct)
    {
        var body = request.ToJsonString();
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            AthenaApiException failure;
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
                {
                    Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = ContentType } },
                };
                message.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonAthena." + operation);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                    return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
                failure = AthenaApiException.From(operation, response, text);
            }
            catch (HttpRequestException e)
            {
                failure = new AthenaApiException(operation, "ConnectionError", $"the connection to {_endpoint.Host} failed ({e.Message})", null, retryable: true, e);
            }
            catch (IOException e)
            {
                failure = new AthenaApiException(operation, "ConnectionError", $"the connection to {_endpoint.Host} broke ({e.Message})", null, retryable: true, e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = new AthenaApiException(operation, "Timeout", $"{_endpoint.Host} did not answer in time", null, retryable: true, e);
            }
            catch (JsonException e)
            {
                failure = new AthenaApiException(operation, "InvalidResponse", $"the response was not JSON ({e.Message})", null, retryable: false, e);
            }
            if (!failure.Retryable || attempt >= _maxAttempts) throw failure;
            Retries++;
            await Task.Delay(BackoffDelay(attempt), _clock, ct);
        }
    }

    /// <summary>How many retries this client has made (for tests and diagnostics).</summary>
    public int Retries { get; private set; }

    /// <summary>Full jitter: a random delay between 0 and base * 2^(attempt-1), capped at 20 s.</summary>
    internal TimeSpan BackoffDelay(int attempt)
    {
        var cap = Math.Min(20_000, _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An error answer from Athena (or a transport failure), with the error type and message AWS gave.</summary>
public sealed class AthenaApiException(string operation, string errorType, string message, HttpStatusCode? status, bool retryable, Exception? inner = null)
    : Exception($"Athena {operation} failed: {errorType}: {message}", inner)
{
    public string Operation { get; } = operation;
    public string ErrorType { get; } = errorType;
    public string AwsMessage { get; } = message;
    public HttpStatusCode? Status { get; } = status;
    public bool Retryable { get; } = retryable;

    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "TooManyRequestsException", "ThrottlingException", "Throttling", "ThrottledException", "RequestLimitExceeded",
        "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException", "SlowDown",
    };

    internal static AthenaApiException From(string operation, HttpResponseMessage response, string body)
    {
        string? type = null, message = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject doc)
            {
                type = (string?)doc["__type"];
                message = (string?)doc["Message"] ?? (string?)doc["message"];
            }
        }
        catch (JsonException) { }
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var header))
            type ??= header.FirstOrDefault();
        type = Clean(type) ?? $"HTTP{(int)response.StatusCode}";
        message = string.IsNullOrWhiteSpace(message) ? response.ReasonPhrase ?? "(no message)" : message.Trim();
        var retryable = (int)response.StatusCode >= 500 || Throttling.Contains(type);
        return new AthenaApiException(operation, type, message, response.StatusCode, retryable);
    }

    /// <summary>"com.amazonaws.athena#TooManyRequestsException" and "X:http://..." become "TooManyRequestsException".</summary>
    private static string? Clean(string? type)
    {
        if (string.IsNullOrWhiteSpace(type)) return null;
        var hash = type.LastIndexOf('#');
        if (hash >= 0) type = type[(hash + 1)..];
        var colon = type.IndexOf(':');
        if (colon >= 0) type = type[..colon];
        return type.Trim();
    }
}
