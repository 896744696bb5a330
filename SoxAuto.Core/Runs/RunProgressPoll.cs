using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Runs;

/// <summary>Progress of runs that another process executes (another instance on the same database, a headless
/// run) reaches the pages open on this one through the database: every <see cref="SoxAutoOptions.ProgressPollInterval"/>
/// the runs that are unfinished or ended lately are read, and each whose state or message changed since the last
/// look is published on <see cref="RunProgress"/>, as the executor publishes its own. The executor's push stays
/// the fast path for runs this process executes, which are left out here.</summary>
public sealed class RunProgressPoll(IDbContextFactory<SoxAutoDb> dbs, RunProgress progress, RunLeases leases, TimeProvider clock,
    IOptions<SoxAutoOptions> options, ILogger<RunProgressPoll> log) : BackgroundService
{
    /// <summary>How far back an ended run is still looked at: a run ending as a look reads the database is
    /// seen ended at the next look even though its end time is before that look.</summary>
    private static readonly TimeSpan EndedWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<int, RunUpdate> _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time, not the clock: how often to look is plumbing, and a clock moved a month ahead (a test's fake
        // clock) would otherwise make the timer tick once per interval of that month, one look each.
        using var timer = new PeriodicTimer(options.Value.ProgressPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await LookAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
                {
                    log.LogWarning(e, "Reading run progress from the database failed; trying again shortly");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The app was torn down without stopping this first (its start failed, e.g. on a port in use).
        }
    }

    /// <summary>One look: publishes what changed since the previous one.</summary>
    internal async Task LookAsync(CancellationToken ct)
    {
        var endedSince = clock.GetUtcNow() - EndedWindow;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.Owner != leases.Holder)
            .Where(r => r.State == RunState.Queued || r.State == RunState.Running || r.State == RunState.WritingEvidence || r.FinishedAt >= endedSince)
            .Select(r => new RunUpdate(r.Id, r.State, r.Message, r.RowCount ?? 0))
            .ToListAsync(ct);
        foreach (var update in runs)
        {
            if (_seen.TryGetValue(update.RunId, out var last) && last == update) continue;
            _seen[update.RunId] = update;
            progress.Publish(update);
        }
        // Runs out of the window are not looked at again; forget them.
        var current = runs.Select(r => r.RunId).ToHashSet();
        foreach (var id in _seen.Keys.Where(id => !current.Contains(id)).ToList()) _seen.Remove(id);
    }
}
