using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Review;

namespace SoxAuto.Core.Runs;

/// <summary>A request that cannot be carried out; the message is for the user. <see cref="Field"/> names
/// the part of the request that was refused (ipe, period, parameters), when it is one.</summary>
public sealed class RunRequestException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>Who asks, and from where (an IP address, "cli", "system"). <paramref name="SeesEveryRun"/>:
/// reviewers and admins see every run, anyone else only their own (<see cref="RunAccess"/>).
/// <paramref name="Name"/> is only shown; who they are is <see cref="Subject"/>, which every rule compares.</summary>
public sealed record Actor(string Name, string Origin, bool IsAdmin = false, bool SeesEveryRun = false)
{
    /// <summary>Who they are (<see cref="Access.PersonSubject"/>): the provider's issuer and subject, the demo
    /// person's id, or a service identity (<c>schedule:nightly</c>, <c>token:ci</c>, <c>cli:ops</c>).</summary>
    public required string Subject { get; init; }

    /// <summary>A service identity (a schedule, a token, the command line, the seed): its name is its subject.</summary>
    public static Actor Service(string identity, string origin, bool seesEveryRun = false) =>
        new(identity, origin, SeesEveryRun: seesEveryRun) { Subject = identity };
}

/// <summary>A run about to be written, with the audit entry that records its request.</summary>
internal sealed record RunRequest(Run Run, string Action, string Detail);

/// <summary>What happens when someone clicks Run IPE or Cancel.</summary>
public sealed class RunService(
    IDbContextFactory<SoxAutoDb> dbs, IpeCatalog catalog, RunQueue queue, RunProgress progress,
    AuditTrail audit, TimeProvider clock, SegregationOfDuties duties, RunLeases leases, Batches.BatchEnding batches)
{
    /// <summary>Validates the request, writes the Run (Queued) and only then hands it to the worker. With
    /// <paramref name="executeHere"/> (the headless verb) the run is written already held by this process,
    /// which executes it itself; nobody else takes it unless this process stops renewing its lease.
    /// <paramref name="supersedes"/>: the rejected run this one re-runs (see ReviewService.RerunAsync).</summary>
    public async Task<Run> RequestAsync(string ipeId, string periodText, IReadOnlyDictionary<string, string>? parameters,
        Actor actor, CancellationToken ct = default, bool executeHere = false, int? supersedes = null)
    {
        var request = await PrepareAsync(ipeId, periodText, parameters, actor, ct, supersedes);
        await AddAsync([request], actor, executeHere, null, ct);
        return request.Run;
    }

    /// <summary>The run a request would write (validated, not yet saved), with its audit entry; a request
    /// that cannot be carried out throws <see cref="RunRequestException"/>.</summary>
    internal async Task<RunRequest> PrepareAsync(string ipeId, string periodText, IReadOnlyDictionary<string, string>? parameters,
        Actor actor, CancellationToken ct, int? supersedes = null)
    {
        var version = await catalog.ActiveAsync(ipeId.Trim(), ct)
            ?? throw new RunRequestException($"There is no approved IPE called '{ipeId}'.", "ipe");
        if (!Period.TryParse(periodText, Today, out var period, out var error))
            throw new RunRequestException(error, "period");
        IReadOnlyList<ParameterValue> values;
        try
        {
            values = ParameterBinder.Bind(version.Definition, period, parameters);
            QueryRenderer.Render(version.Definition.Sql, values); // every placeholder must have a value
        }
        catch (ParameterException e)
        {
            throw new RunRequestException(e.Message, "parameters");
        }

        var run = new Run
        {
            IpeId = version.IpeId,
            IpeVersionId = version.Id,
            IpeVersionNumber = version.Number,
            Period = period,
            Parameters = values.ToList(),
            RequestedBy = actor.Name,
            RequestedBySubject = actor.Subject,
            SupersedesRunId = supersedes,
        };
        return new RunRequest(run, "run.requested",
            $"{run.IpeId} v{run.IpeVersionNumber} for {period.Describe()}; parameters: {Describe(values)}"
            + (supersedes is { } s ? $"; re-runs rejected run {s}" : ""));
    }

    /// <summary>Writes new runs Queued in one transaction, with whatever <paramref name="alongside"/> adds to the
    /// same save (a batch, a schedule's firing): all of it is written, or none. Then records each request in the
    /// audit trail and only then hands the runs to the worker, in order.</summary>
    internal async Task AddAsync(IReadOnlyList<RunRequest> requests, Actor actor, bool executeHere, Action<SoxAutoDb>? alongside, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var run in requests.Select(r => r.Run))
        {
            run.RequestedAt = now;
            run.State = RunState.Queued;
            run.Message = executeHere ? "Starting." : "Waiting for the worker.";
            run.Owner = executeHere ? leases.Holder : null;
            run.LeaseExpiresAt = executeHere ? leases.ExpiryFromNow() : null;
        }
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            alongside?.Invoke(db);
            db.Runs.AddRange(requests.Select(r => r.Run));
            await db.SaveChangesAsync(ct);
        }
        // A run executed here is held from its insert until its executor takes the lease over (RunLeases.Keep):
        // in a fresh process the first audit append can take longer than a short lease.
        if (executeHere) foreach (var run in requests.Select(r => r.Run)) leases.KeepUntilExecuted(run.Id);
        foreach (var r in requests)
            await audit.RecordAsync(actor, r.Action, $"run/{r.Run.Id}", r.Detail, ct);
        foreach (var run in requests.Select(r => r.Run))
        {
            if (!executeHere) queue.Enqueue(run.Id);
            progress.Publish(new RunUpdate(run.Id, run.State, run.Message, 0));
        }
    }

    /// <summary>Today's date, against which periods are checked (a period must have ended).</summary>
    internal DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Cancels a run that has not finished. Only the person who ran it or an admin may
    /// (<see cref="SegregationOfDuties.MayCancel"/>); a refusal throws with the reason.</summary>
    public async Task CancelAsync(int runId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, ct)
            ?? throw new RunRequestException($"Run {runId} does not exist.");
        await duties.EnsureAsync(SegregationOfDuties.MayCancel(run, actor), actor, "run.cancel", $"run/{runId}", ct);
        if (run.IsFinal)
            throw new RunRequestException($"Run {runId} has already ended ({run.State}).");

        // Conditional updates, because the worker may claim the run between our read and our write:
        // a Queued run is ended here only if it is still Queued; otherwise the worker is told to stop.
        var now = clock.GetUtcNow();
        var message = $"Cancelled by {actor.Name} before it started.";
        var endedHere = await db.Runs.Where(r => r.Id == runId && r.State == RunState.Queued).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.CancelRequested, true)
            .SetProperty(r => r.CancelledBy, actor.Name)
            .SetProperty(r => r.CancelledBySubject, actor.Subject)
            .SetProperty(r => r.State, RunState.Cancelled)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Message, message), ct) == 1;
        if (!endedHere)
        {
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.CancelRequested, true)
                .SetProperty(r => r.CancelledBy, actor.Name)
                .SetProperty(r => r.CancelledBySubject, actor.Subject), ct);
        }
        await audit.RecordAsync(actor, "run.cancel.requested", $"run/{runId}", "", ct);
        if (endedHere)
        {
            // Ended here, not by the executor, which records the end of runs that started.
            await audit.RecordAsync("system", "run.cancelled", $"run/{runId}", message, "system", ct);
            progress.Publish(new RunUpdate(runId, RunState.Cancelled, message, 0));
            await batches.AfterRunEndedAsync(run);
        }
        else
            queue.SignalCancel(runId);
    }

    public static string Describe(IEnumerable<ParameterValue> values) =>
        string.Join("; ", values.Select(v => $"{v.Name} = {v.Display}"));
}
