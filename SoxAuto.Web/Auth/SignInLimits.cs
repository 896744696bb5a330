using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using SoxAuto.Core.Audit;

namespace SoxAuto.Web.Auth;

/// <summary>How many sign-in requests one client address may make per window
/// (SoxAuto:Auth:SignInLimit per SoxAuto:Auth:SignInWindow), in this instance.</summary>
public sealed record SignInLimit(int Requests, TimeSpan Window)
{
    public const string RequestsKey = "SoxAuto:Auth:SignInLimit";
    public const string WindowKey = "SoxAuto:Auth:SignInWindow";

    public static SignInLimit Read(IConfiguration configuration)
    {
        var text = configuration[RequestsKey];
        var requests = 60;
        if (!string.IsNullOrWhiteSpace(text) && !(int.TryParse(text, CultureInfo.InvariantCulture, out requests) && requests is > 0 and <= 100_000))
            throw new StartupRefusalException($"SoxAuto cannot start: {RequestsKey} = '{text}' is not a number of sign-in requests from 1 to 100000.");
        return new SignInLimit(requests, AuthRegistration.TimeSpanSetting(configuration, WindowKey, TimeSpan.FromMinutes(1)));
    }

    /// <summary>The requests that start or complete a sign-in: anyone may send them, signed in or not.</summary>
    public static bool Covers(PathString path) =>
        path.Equals(LocalSignInEndpoints.SignInAction, StringComparison.OrdinalIgnoreCase)
        || path.Equals(OidcSignIn.SignInAction, StringComparison.OrdinalIgnoreCase)
        || path.Equals(OidcSignIn.CallbackPath, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Sign-in requests come from people not yet signed in, so anyone can send them, and what
/// they cause is written to an append-only trail. Two bounds: ASP.NET Core's rate limiter answers 429
/// past <see cref="SignInLimit"/> per client address; and of the refused or failed sign-ins from one
/// address in a window, only the first is recorded in full, the rest as one entry that counts them
/// when the window closes. The API's unknown access tokens are recorded here too (token.refused): anyone
/// can send one, as often as they like.</summary>
public sealed class SignInRefusals(AuditTrail audit, SignInLimit limit) : BackgroundService
{
    // Addresses recorded in full per window; past this, refusals are counted under one line, so that
    // many addresses (an IPv6 range) cannot write many entries either.
    private const int MaxAddressesPerWindow = 20;
    private const string OtherAddresses = "other addresses";

    private readonly ConcurrentDictionary<string, Counts> _window = new();

    private sealed class Counts
    {
        public int Refused;
        public int Throttled;
    }

    /// <summary>A refused or failed sign-in: recorded in full if it is the first from
    /// <paramref name="origin"/> in this window, otherwise counted.</summary>
    public async Task RecordAsync(string action, string subject, string detail, string origin, CancellationToken ct = default)
    {
        if (_window.Count < MaxAddressesPerWindow && _window.TryAdd(origin, new Counts()))
            await audit.RecordAsync("anonymous", action, subject, detail, origin, ct);
        else
            Interlocked.Increment(ref CountsOf(origin).Refused);
    }

    /// <summary>A sign-in request the rate limiter refused (429): counted only.</summary>
    public void CountThrottled(string origin) => Interlocked.Increment(ref CountsOf(origin).Throttled);

    /// <summary>Closes the window: one entry per address whose refusals were counted, not recorded.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        foreach (var origin in _window.Keys)
        {
            if (!_window.TryRemove(origin, out var counts) || counts.Refused + counts.Throttled == 0) continue;
            var minutes = limit.Window.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
            await audit.RecordAsync("anonymous", "signin.refused", "signin",
                $"{counts.Refused + counts.Throttled} further refused sign-in or access-token requests from {origin} in the last {minutes} minute(s), " +
                $"recorded as this one entry: {counts.Throttled} over the limit of {limit.Requests} (answered 429), {counts.Refused} refused or failed.",
                origin == OtherAddresses ? "" : origin, ct);
        }
    }

    private Counts CountsOf(string origin) =>
        _window.TryGetValue(origin, out var counts) ? counts
        : _window.Count < MaxAddressesPerWindow ? _window.GetOrAdd(origin, _ => new Counts())
        : _window.GetOrAdd(OtherAddresses, _ => new Counts());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(limit.Window);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);   // what was counted is not lost at shutdown
    }
}

public static class SignInLimitRegistration
{
    public static IServiceCollection AddSignInLimits(this IServiceCollection services, SignInLimit limit)
    {
        services.AddSingleton(limit);
        services.AddSingleton<SignInRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInRefusals>());
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Global, not per endpoint: the OIDC callback is answered by the authentication middleware,
            // before endpoints are reached. Only sign-in requests are limited.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => SignInLimit.Covers(http.Request.Path)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientOrigin.Of(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.Requests,
                    Window = limit.Window,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<SignInRefusals>().CountThrottled(ClientOrigin.Of(http));
                // Said as it is, not re-executed into the "not found" page.
                if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                await http.Response.WriteAsync($"Too many sign-in requests from this address; try again within {limit.Window:c}.", ct);
            };
        });
        return services;
    }
}
