using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;

namespace SoxAuto.Core.Health;

/// <summary>
/// What /healthz/ready asks: can this process do its work now? Each check is cheap and bounded by a short
/// timeout; what it answers is a status and a fixed sentence, never a path or an error text (the probe
/// is anonymous). Why a check failed is logged.
/// </summary>
public static class Readiness
{
    public const string Tag = "ready";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    internal static async Task<HealthCheckResult> CheckAsync(Func<CancellationToken, Task> check, string healthy, string unhealthy,
        ILogger log, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Timeout);
        try
        {
            await check(limit.Token);
            return HealthCheckResult.Healthy(healthy);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Readiness: {Unhealthy}", unhealthy);
            return HealthCheckResult.Unhealthy(limit.IsCancellationRequested ? $"{unhealthy} (no answer within {Timeout.TotalSeconds:0} s)" : unhealthy);
        }
    }
}

/// <summary>The database opens and its schema is there (a one-row read).</summary>
public sealed class DatabaseReadiness(IDbContextFactory<SoxAutoDb> dbs, ILogger<DatabaseReadiness> log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Readiness.CheckAsync(async limit =>
        {
            await using var db = await dbs.CreateDbContextAsync(limit);
            await db.IpeVersions.AnyAsync(limit);
        }, "The database answers.", "The database cannot be read.", log, ct);
}

/// <summary>A file can be written and removed in the data folder and in its evidence folder.</summary>
public sealed class DataFolderReadiness(DataFolder folder, ILogger<DataFolderReadiness> log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Readiness.CheckAsync(async limit =>
        {
            foreach (var dir in new[] { folder.Root, folder.Evidence })
            {
                Directory.CreateDirectory(dir);
                var probe = Path.Combine(dir, $".ready-{Guid.NewGuid():N}");
                await File.WriteAllTextAsync(probe, "ready", limit);
                File.Delete(probe);
            }
        }, "The data folder is writable.", "The data folder cannot be written.", log, ct);
}

/// <summary>The engine could run a query (<see cref="IQueryEngine.CheckReadyAsync"/>). For Athena that is a
/// call over the network, so a result is kept for <see cref="CacheFor"/>: probes every few seconds cost one
/// call per interval, and concurrent probes share one call.</summary>
public sealed class EngineReadiness(IQueryEngine engine, TimeProvider clock, ILogger<EngineReadiness> log) : IHealthCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private (Task<HealthCheckResult> Check, DateTimeOffset At)? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_last is not { } last || now - last.At > CacheFor)
            {
                // Not cancelled with one caller's request: other probes may be waiting on the same check.
                _last = last = (Readiness.CheckAsync(engine.CheckReadyAsync, $"The engine ({engine.Name}) is reachable.",
                    $"The engine ({engine.Name}) is not reachable.", log, CancellationToken.None), now);
            }
            return last.Check.WaitAsync(ct);
        }
    }
}
