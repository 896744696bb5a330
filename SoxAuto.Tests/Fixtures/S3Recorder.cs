using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SoxAuto.Tests.Fixtures;

/// <summary>
/// A small S3 for what s3rver ignores: it keeps every request (headers and body) and speaks enough of S3's
/// published REST protocol, path-style, for SoxAuto's evidence store: PutObject (with If-None-Match: * answered
/// 412 PreconditionFailed when the key exists, and x-amz-checksum-sha256 checked as S3 checks it: 400 BadDigest),
/// HeadObject, GetObject, and GetObjectLockConfiguration (Object Lock enabled or not, as <see cref="ObjectLock"/> says).
/// It checks no signatures.
/// </summary>
public sealed class S3Recorder : IAsyncDisposable
{
    public const string Bucket = "soxauto-evidence";

    public sealed record Request(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();

    private S3Recorder(WebApplication app) => _app = app;

    public bool ObjectLock { get; set; } = true;
    /// <summary>HEAD requests still to answer 404 whatever is stored: another writer racing between SoxAuto's check and its upload.</summary>
    public int HeadMisses { get; set; }
    public Uri Endpoint { get; private set; } = null!;
    public IReadOnlyList<Request> Requests => [.. _requests];
    public IReadOnlyList<Request> Puts => [.. _requests.Where(r => r.Method == "PUT")];
    public byte[]? Object(string key) => _objects.TryGetValue(key, out var bytes) ? bytes : null;

    public static AWSCredentials Credentials => new BasicAWSCredentials("RECORDER", "RECORDER");

    public Dictionary<string, string?> Settings(string prefix = "") => new()
    {
        ["SoxAuto:Evidence:Store"] = "S3",
        ["SoxAuto:Evidence:S3:Bucket"] = Bucket,
        ["SoxAuto:Evidence:S3:Prefix"] = prefix,
        ["SoxAuto:Evidence:S3:ServiceUrl"] = Endpoint.ToString(),
        ["SoxAuto:Evidence:S3:ForcePathStyle"] = "true",
        ["SoxAuto:Evidence:S3:Region"] = "eu-west-1",
    };

    public static async Task<S3Recorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var recorder = new S3Recorder(app);
        app.Run(recorder.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        recorder.Endpoint = new Uri(address);
        return recorder;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var request = new Request(http.Request.Method, Uri.UnescapeDataString(http.Request.Path.Value ?? ""), http.Request.QueryString.Value ?? "",
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
        _requests.Enqueue(request);
        var path = request.Path.TrimStart('/');
        var slash = path.IndexOf('/');
        var (bucket, key) = slash < 0 ? (path, "") : (path[..slash], path[(slash + 1)..]);
        if (bucket != Bucket)
        {
            await ErrorAsync(http, 404, "NoSuchBucket");
            return;
        }
        switch (request.Method)
        {
            case "GET" when key.Length == 0 && http.Request.Query.ContainsKey("object-lock"):
                if (!ObjectLock)
                {
                    await ErrorAsync(http, 404, "ObjectLockConfigurationNotFoundError");
                    return;
                }
                http.Response.ContentType = "application/xml";
                await http.Response.WriteAsync("""<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>""");
                return;
            case "PUT":
                if (request.Headers.TryGetValue("If-None-Match", out var none) && none == "*" && _objects.ContainsKey(key))
                {
                    await ErrorAsync(http, 412, "PreconditionFailed");
                    return;
                }
                var sha = Convert.ToBase64String(SHA256.HashData(request.Body));
                if (request.Headers.TryGetValue("x-amz-checksum-sha256", out var claimed) && claimed != sha)
                {
                    await ErrorAsync(http, 400, "BadDigest");
                    return;
                }
                _objects[key] = request.Body;
                http.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(request.Body))}\"";
                if (claimed is not null) http.Response.Headers["x-amz-checksum-sha256"] = claimed;
                return;
            case "HEAD" or "GET":
                var miss = request.Method == "HEAD" && HeadMisses > 0;
                if (miss) HeadMisses--;
                if (miss || !_objects.TryGetValue(key, out var bytes))
                {
                    await ErrorAsync(http, 404, "NoSuchKey", request.Method == "GET");
                    return;
                }
                http.Response.ContentLength = bytes.Length;
                http.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"";
                if (request.Method == "GET") await http.Response.Body.WriteAsync(bytes);
                return;
            default:
                await ErrorAsync(http, 405, "MethodNotAllowed");
                return;
        }
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code, bool withBody = true)
    {
        http.Response.StatusCode = status;
        if (!withBody) return;
        http.Response.ContentType = "application/xml";
        await http.Response.WriteAsync($"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{code}</Message><RequestId>recorder</RequestId></Error>""");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
