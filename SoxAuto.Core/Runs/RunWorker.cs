using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Runs;

/// <summary>Takes queued runs off the channel, <see cref="SoxAutoOptions.WorkerConcurrency"/> at a time,
/// and meanwhile keeps looking for runs whose process has stopped (<see cref="RunRecovery.WatchAsync"/>).</summary>
public sealed class RunWorker(RunQueue queue, RunExecutor executor, RunRecovery recovery, IOptions<SoxAutoOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.WorkerConcurrency).Select(_ => ConsumeAsync(stoppingToken))
            .Append(recovery.WatchAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var runId in queue.ReadAllAsync(stoppingToken))
            {
                // The channel may still hand out an item after stopping began; leave it Queued for the next start.
                if (stoppingToken.IsCancellationRequested) break;
                using var cts = queue.TryTrack(runId, stoppingToken);
                if (cts is null) continue; // already in progress here
                try
                {
                    await executor.ExecuteAsync(runId, cts.Token, stoppingToken);
                }
                finally
                {
                    queue.Untrack(runId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unfinished runs are resumed by RunRecovery at the next start.
        }
    }
}
