using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Runs;

/// <summary>
/// Who executes a run: the process holding its lease (<see cref="Run.Owner"/> until
/// <see cref="Run.LeaseExpiresAt"/>). Leases are claimed and renewed with conditional updates in the
/// database, so however many processes share it (the web app, headless runs, later several web
/// instances) exactly one executes a run. A process that dies stops renewing; once its lease has expired
/// another process may take the run over.
/// </summary>
public sealed class RunLeases(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock, IOptions<SoxAutoOptions> options, ILogger<RunLeases> log)
{
    // Runs this process wrote as its own (executed here, not by the worker) and has not begun executing:
    // their leases are renewed from the insert, so that they do not run out before the executor claims them.
    private readonly ConcurrentDictionary<int, RunHeartbeat> _writtenHere = new();

    /// <summary>This process: host, process id, and an instance id (process ids are reused).</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>When a lease taken or renewed now expires.</summary>
    public DateTimeOffset ExpiryFromNow() => clock.GetUtcNow() + options.Value.RunLeaseDuration;

    /// <summary>Claims an unfinished run for this process if nobody holds it (a Queued run, or one its
    /// executor let go of when its app stopped), its lease has expired, or this process holds it already.
    /// False when another process holds it or it has ended.</summary>
    public async Task<bool> TryClaimAsync(int runId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + options.Value.RunLeaseDuration;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Unfinished(db).Where(r => r.Id == runId && (r.Owner == null || r.Owner == Holder || r.LeaseExpiresAt <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Owner, Holder).SetProperty(r => r.LeaseExpiresAt, until), ct) == 1;
    }

    /// <summary>Unfinished runs that nobody holds or whose holder has stopped renewing: the runs another
    /// process may take over.</summary>
    public async Task<List<int>> UnheldAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Unfinished(db).Where(r => r.Owner == null || r.LeaseExpiresAt <= now)
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
    }

    /// <summary>Lets go of a run this process holds (its app is stopping), so that the next start or
    /// another instance takes it over at once instead of after the lease.</summary>
    internal async Task ReleaseAsync(int runId)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            var now = clock.GetUtcNow();
            await db.Runs.Where(r => r.Id == runId && r.Owner == Holder)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseExpiresAt, now));
        }
        catch (Exception e)
        {
            // Not fatal: the lease then simply runs out.
            log.LogWarning(e, "Letting go of run {RunId} failed; it is taken over once its lease expires", runId);
        }
    }

    /// <summary>Renews the lease of a run this process executes, every <see cref="SoxAutoOptions.RunLeaseRenewInterval"/>,
    /// until disposed. Its <see cref="RunHeartbeat.Lost"/> token fires when another process has taken the
    /// run over, or when the lease could not be renewed before it expired (then another process may take
    /// it over at any moment, so this one must stop).</summary>
    public RunHeartbeat Keep(int runId) => _writtenHere.TryRemove(runId, out var kept) ? kept : NewHeartbeat(runId);

    /// <summary>Renews the lease of a run this process has just written as its own until the executor's
    /// <see cref="Keep"/> takes the renewing over.</summary>
    internal void KeepUntilExecuted(int runId) => _writtenHere.TryAdd(runId, NewHeartbeat(runId));

    private RunHeartbeat NewHeartbeat(int runId) => new(this, runId, clock, options.Value.RunLeaseRenewInterval, log);

    /// <summary>True while this process still holds the run; its lease then runs until <paramref name="until"/>.</summary>
    internal async Task<bool> RenewAsync(int runId, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Runs.Where(r => r.Id == runId && r.Owner == Holder)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseExpiresAt, until), ct) == 1;
    }

    private static IQueryable<Run> Unfinished(SoxAutoDb db) =>
        db.Runs.Where(r => r.State == RunState.Queued || r.State == RunState.Running || r.State == RunState.WritingEvidence);
}

/// <summary>Keeps one run's lease alive while this process works on it (see <see cref="RunLeases.Keep"/>).</summary>
public sealed class RunHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;
    private readonly RunLeases _leases;
    private readonly int _runId;

    internal RunHeartbeat(RunLeases leases, int runId, TimeProvider clock, TimeSpan interval, ILogger log)
    {
        _leases = leases;
        _runId = runId;
        _beating = BeatAsync(leases, runId, clock, interval, log);
    }

    /// <summary>Fires when this process no longer holds the run.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    private async Task BeatAsync(RunLeases leases, int runId, TimeProvider clock, TimeSpan interval, ILogger log)
    {
        // The claim has just set the lease; a renewal that fails is tried again while the lease lasts.
        var heldUntil = leases.ExpiryFromNow();
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var until = leases.ExpiryFromNow();
                // A renewal waiting on a locked database gives up after one interval, so that the check
                // below still comes before the lease runs out.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                attempt.CancelAfter(interval);
                try
                {
                    if (!await leases.RenewAsync(runId, until, attempt.Token))
                    {
                        log.LogWarning("Run {RunId} was taken over by another process; this one stops working on it", runId);
                        await _lost.CancelAsync();
                        return;
                    }
                    heldUntil = until;
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    log.LogWarning(e, "Renewing the lease of run {RunId} failed", runId);
                    // Stop before the lease can run out, not after: by then another process may have begun.
                    if (clock.GetUtcNow() + interval >= heldUntil)
                    {
                        log.LogWarning("The lease of run {RunId} expired before it could be renewed; this process stops working on it", runId);
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run ended here.
        }
    }

    /// <summary>Lets go of the run (the app is stopping): renewing stops first, and a renewal in flight
    /// is waited for, so that nothing takes the lease back after it is released.</summary>
    public async Task LetGoAsync()
    {
        await StopAsync();
        await _leases.ReleaseAsync(_runId);
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _beating;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _lost.Dispose();
    }
}
