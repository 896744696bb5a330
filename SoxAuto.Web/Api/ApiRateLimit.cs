using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Tokens;
using SoxAuto.Web.Auth;

namespace SoxAuto.Web.Api;

/// <summary>
/// One fixed window per access token (ASP.NET Core's rate limiter): <see cref="ApiOptions.RateLimit"/>
/// requests per <see cref="ApiOptions.RateLimitWindow"/>, then 429 with Retry-After. The partition is the
/// SHA-256 of the presented secret, the value the token is stored as, so it is counted before the token is
/// looked up and a throttled request costs no database read; a request without a token counts against its
/// client address. Counts are per app instance.
/// </summary>
public sealed class ApiRateLimit(IOptions<ApiOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "api";

    private readonly ApiOptions _options = options.Value;

    public RateLimitPartition<string> GetPartition(HttpContext http) =>
        RateLimitPartition.GetFixedWindowLimiter(
            AccessTokenHandler.Presented(http.Request) is { } secret ? "token " + AccessTokens.HashOf(secret) : "address " + ClientOrigin.Of(http),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = _options.RateLimit, Window = _options.RateLimitWindow, QueueLimit = 0 });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, ct) =>
    {
        var http = context.HttpContext;
        var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : _options.RateLimitWindow;
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"This token may make {_options.RateLimit} requests per {_options.RateLimitWindow:c}; try again in {seconds} s.").ExecuteAsync(http);
    };
}
