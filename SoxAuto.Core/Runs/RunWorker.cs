using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;
using SoxAuto.Core.Reconciliations;

namespace SoxAuto.Core.Runs;

/// <summary>Takes queued runs off the channel, <see cref="SoxAutoOptions.WorkerConcurrency"/> at a time,
/// and meanwhile keeps looking for runs whose process has stopped (<see cref="RunRecovery.WatchAsync"/>).
/// Each kind of run goes to its own executor: an IPE run to <see cref="RunExecutor"/>, a reconciliation to
/// <see cref="ReconciliationExecutor"/>.</summary>
public sealed class RunWorker(RunQueue queue, RunExecutor executor, ReconciliationExecutor reconciliations, RunRecovery recovery,
    IDbContextFactory<SoxAutoDb> dbs, IOptions<SoxAutoOptions> options) : BackgroundService
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
                    await using (var db = await dbs.CreateDbContextAsync(stoppingToken))
                    {
                        if (await db.Runs.Where(r => r.Id == runId).Select(r => r.Kind).FirstOrDefaultAsync(stoppingToken) == RunKind.Reconciliation)
                        {
                            await reconciliations.ExecuteAsync(runId, cts.Token, stoppingToken);
                            continue;
                        }
                    }
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
