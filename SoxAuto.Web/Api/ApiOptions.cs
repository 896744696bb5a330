using System.ComponentModel.DataAnnotations;

namespace SoxAuto.Web.Api;

/// <summary>The HTTP API's settings (SoxAuto:Api): how many requests one access token may make per window.
/// Requests past the limit are answered 429 with Retry-After.</summary>
public sealed class ApiOptions
{
    public const string Section = "SoxAuto:Api";

    /// <summary>Requests per token per <see cref="RateLimitWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int RateLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
