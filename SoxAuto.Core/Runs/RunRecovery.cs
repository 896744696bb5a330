using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Runs;

/// <summary>Hands the worker every unfinished run that no live process holds: at start-up, and then every
/// <see cref="SoxAutoOptions.RunLeaseRenewInterval"/> while the app runs, so that a run whose process
/// died (a killed headless run, a crashed instance) is taken over once its lease expires. A run still
/// held by a live process is left alone. The executor re-attaches to the engine's execution where it
/// has one, and ends the run Failed, with the reason, where the engine no longer knows it. So no run
/// stays Queued or Running forever.</summary>
public sealed class RunRecovery(RunLeases leases, RunQueue queue, Batches.BatchEnding batches, TimeProvider clock, IOptions<SoxAutoOptions> options, ILogger<RunRecovery> log)
{
    public async Task RecoverAsync(CancellationToken ct)
    {
        // Only a hint for the worker: its claim of the lease decides, atomically, who executes a run.
        foreach (var id in await leases.UnheldAsync(ct)) queue.Enqueue(id);
        // A batch whose last run ended in a process that stopped at that moment ends here.
        await batches.EndFinishedAsync(ct);
    }

    public async Task WatchAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.RunLeaseRenewInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try { await RecoverAsync(stopping); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Looking for runs to take over failed; trying again shortly");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
