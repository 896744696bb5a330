using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Notifications;

namespace SoxAuto.Core.Runs;

/// <summary>Carries one run from Queued to a final state: render, start the engine, poll, then the
/// evidence pass. Every state change is saved before it is announced. Only the process holding the
/// run's lease (<see cref="RunLeases"/>) works on it, and it stops as soon as it no longer holds it.</summary>
public sealed class RunExecutor(
    IDbContextFactory<SoxAutoDb> dbs, IQueryEngine configuredEngine, EvidenceWriter evidence, RunProgress progress,
    AuditTrail audit, RunLeases leases, NotificationOutbox notifications, IEvidenceStore store, TimeProvider clock,
    IOptions<SoxAutoOptions> options, ILogger<RunExecutor> log, Batches.BatchEnding batches, IEnumerable<IRunProcedure> procedures)
{
    public async Task ExecuteAsync(int runId, CancellationToken ct, CancellationToken stopping)
    {
        // Every log line of this run, from any part of SoxAuto (engine, evidence, database), carries its id.
        using var scope = log.BeginScope("Run {RunId}", runId);
        // The one way a run is claimed: another live process executing it keeps it.
        var claimed = await leases.TryClaimAsync(runId, CancellationToken.None);
        await using var heartbeat = leases.Keep(runId); // takes over the renewing begun when this process wrote the run
        if (!claimed) return;
        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Lost);
        ct = working.Token;
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        // Loaded after the claim, so that every save below checks this process still holds the run.
        var run = await db.Runs.Include(r => r.IpeVersion).FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        // A reconciliation is executed by its own executor (RunWorker hands each kind to its own).
        if (run is null || run.IsFinal || run.Kind != RunKind.Ipe) return;
        var ipe = run.IpeVersion!.Definition;
        log.LogInformation("Executing run {RunId}: {IpeId} v{IpeVersion} for {Period} ({State})", run.Id, run.IpeId, run.IpeVersionNumber, run.PeriodText, run.State);
        string? evidenceDir = null;
        EngineControlQueries? controls = null;
        // The engine acting as the run's requester (their own AWS identity with per-person credentials), also on resume.
        var engine = configuredEngine;
        try
        {
            var asOf = await OriginalQueryStartAsync(db, run);
            if (run.CancelRequested) throw new OperationCanceledException();
            engine = await configuredEngine.ForRunnerAsync(new EngineRunner(run.Id, run.RequestedBySubject), ct);
            var resumed = run.State != RunState.Queued;
            // Start a queued run atomically: a cancel that ended it meanwhile must win.
            if (!resumed && await db.Runs.Where(r => r.Id == run.Id && r.State == RunState.Queued && !r.CancelRequested && r.Owner == leases.Holder)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Running), CancellationToken.None) == 0)
                return;
            // Which process did the work, and when it began (or took the run over), is part of the record.
            await audit.RecordAsync("system", resumed ? "run.resumed" : "run.started", $"run/{run.Id}", resumed
                ? $"Taken over by {leases.Holder}: it was {run.State}{(run.ExecutionId is null ? "" : $", execution {run.ExecutionId}")}."
                : $"{ipe.Id} v{run.IpeVersionNumber} for {run.PeriodText}, by {leases.Holder}.", "system");
            if (run.ExecutionId is null)
            {
                run.ExecutedSql = QueryRenderer.Render(ipe.Sql, run.Parameters);
                if (asOf is { } at) run.ExecutedSql = await engine.ReadAsOfAsync(run.ExecutedSql, ipe.Database, at, ct);
                run.Engine = engine.Name;
                run.Database = ipe.Database;
                run.StartedAt ??= clock.GetUtcNow();
                await SaveAsync(db, run, RunState.Running, resumed ? "Resumed after an interruption; starting the query." : "Starting the query.");
                // The token is derived from the run, so a retried or resumed start never launches a second query.
                run.ExecutionId = await engine.StartAsync(new EngineQuery(run.ExecutedSql, ipe.Database, $"soxauto-run-{run.Id}", ipe.OutputLocation), ct);
                await SaveAsync(db, run, RunState.Running, $"Running on {engine.Name} (execution {run.ExecutionId}).");
            }
            else
            {
                await SaveAsync(db, run, RunState.Running, $"Re-attached to execution {run.ExecutionId} after an interruption.");
            }

            var status = await WaitForEngineAsync(engine, run, ct);
            Record(run, status.Statistics);
            switch (status.State)
            {
                case EngineState.Failed:
                    await FinishAsync(db, run, RunState.Failed, $"The query failed on {engine.Name}: {status.Reason}");
                    return;
                case EngineState.Cancelled:
                    await FinishAsync(db, run, RunState.Cancelled, status.Reason ?? "The engine cancelled the query.");
                    return;
                case EngineState.Unknown:
                    // Only a run taken over from a process that stopped gets here: clear what that process left.
                    await engine.DiscardAsync(run.ExecutionId!, CancellationToken.None);
                    DeleteQuietly(store.WorkFolder(run.Id));
                    await FinishAsync(db, run, RunState.Failed,
                        $"The process running this run stopped (a restart or a crash) while the query was in progress, and {engine.Name} no longer knows execution {run.ExecutionId}. No evidence was kept; run the IPE again.");
                    return;
            }

            // The control queries run on the engine while the pass reads the extract (see EngineControlQueries).
            controls = EngineControlQueries.Start(engine, run, ipe, options.Value.PollInterval, ct, asOf);
            await SaveAsync(db, run, RunState.WritingEvidence, "Writing the evidence.");
            evidenceDir = store.WorkFolder(run.Id);
            Directory.CreateDirectory(evidenceDir);
            var sheets = new List<IEvidenceSheet>();
            foreach (var procedure in procedures)
                if (await procedure.SheetForAsync(run, ct) is { } sheet) sheets.Add(sheet);
            var request = new EvidenceRequest(
                Facts(run, ipe), run.ExecutedSql!, run.Parameters,
                Path.Combine(evidenceDir, run.FileStem + ".csv"), Path.Combine(evidenceDir, run.FileStem + ".xlsx"),
                options.Value.MaxRowsPerSheet, options.Value.MaxWorkbookRows, sheets);
            EvidenceResult result;
            await using (var engineResult = await engine.OpenResultAsync(run.ExecutionId!, ct))
            {
                run.ResultSource = engineResult.Source;
                var checks = IpeChecks.For(ipe.Checks, run.Period, run.Parameters, controls);
                result = await evidence.WriteAsync(request, engineResult, checks, new RowsProgress(progress, run), ct);
            }
            // Complete and hashed: now the store publishes them (with the pass's SHA-256, which S3 verifies).
            EvidenceObject extract = new(IEvidenceStore.KeyOf(run.Id, run.FileStem + ".csv"), request.ExtractPath, result.ExtractSha256, result.ExtractBytes),
                workbook = new(IEvidenceStore.KeyOf(run.Id, run.FileStem + ".xlsx"), request.WorkbookPath, result.WorkbookSha256, result.WorkbookBytes);
            await store.PublishAsync(run.Id, [extract, workbook], ct);
            run.RowCount = result.RowCount;
            run.ExtractSha256 = result.ExtractSha256;
            run.ExtractBytes = result.ExtractBytes;
            run.ExtractPath = extract.Key;
            run.WorkbookSha256 = result.WorkbookSha256;
            run.WorkbookBytes = result.WorkbookBytes;
            run.WorkbookPath = workbook.Key;
            run.ColumnsJson = JsonSerializer.Serialize(result.Columns, SoxAutoDb.Json);
            run.Checks = result.Checks.Select((c, i) => new RunCheck
            {
                Order = i,
                Name = c.Name,
                Status = c.Status,
                Expected = c.Expected,
                Actual = c.Actual,
                Detail = c.Detail,
                Rule = c.Rule,
                ExecutionId = c.ExecutionId,
                DurationMs = c.Duration is { } d ? (long)Math.Round(d.TotalMilliseconds) : null,
            }).ToList();
            await FinishAsync(db, run, RunState.Succeeded,
                $"{result.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows; evidence stored.");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !heartbeat.IsLost)
        {
            // The app is stopping: leave the run unfinished, and let go of it so that the next start (or
            // another instance) resumes it at once.
            DeleteQuietly(evidenceDir);
            await ForgetQueryDyingWithThisProcessAsync(engine, db, run);
            await heartbeat.LetGoAsync();
            log.LogInformation("Run {RunId} was interrupted because the app is stopping; the next start resumes it", run.Id);
        }
        catch (Exception e) when (heartbeat.IsLost || e is DbUpdateConcurrencyException)
        {
            // Another process has taken the run over: its evidence and its outcome are that process's now,
            // so write nothing more and leave its folder alone.
            log.LogWarning(e, "Run {RunId} is no longer held by this process; it stopped working on it", run.Id);
        }
        catch (OperationCanceledException)
        {
            DeleteQuietly(evidenceDir);
            if (controls is not null) await controls.StopUnfinishedAsync();
            if (run.ExecutionId is not null)
                await StopEngineAsync(engine, run.ExecutionId);
            // Who cancelled was saved by another context (the page or the headless verb).
            var by = await db.Runs.Where(r => r.Id == run.Id).Select(r => r.CancelledBy).FirstOrDefaultAsync(CancellationToken.None);
            await FinishAsync(db, run, RunState.Cancelled, $"Cancelled by {by ?? "a user"}. No evidence was kept.");
        }
        catch (RunnerIdentityException e)
        {
            // Never run as someone else: the run ends, saying why, and the refusal is on the record.
            DeleteQuietly(evidenceDir);
            if (controls is not null) await controls.StopUnfinishedAsync();
            // Credentials that could not be renewed mid-run are still valid a while: the query stops as its requester.
            if (run.ExecutionId is not null && engine != configuredEngine)
                await StopEngineAsync(engine, run.ExecutionId);
            await audit.RecordAsync(new Actor(run.RequestedBy, "system") { Subject = run.RequestedBySubject }, "run.aws-identity.refused", $"run/{run.Id}", e.Message);
            await FinishAsync(db, run, RunState.Failed, $"The run could not use its requester's AWS identity: {e.Message} No evidence was kept.");
        }
        catch (Exception e) when (e is EngineException or ParameterException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(evidenceDir);
            if (controls is not null) await controls.StopUnfinishedAsync();
            log.LogWarning(e, "Run {RunId} failed", run.Id);
            var why = e switch
            {
                InvalidDataException => $"The engine's result could not be read as Athena CSV: {e.Message}",
                EvidenceStoreException => $"Storing the evidence failed: {e.Message}",
                IOException => $"Writing the evidence failed: {e.Message}",
                _ => e.Message,
            };
            await FinishAsync(db, run, RunState.Failed, why + " No evidence was kept.");
        }
        catch (Exception e)
        {
            DeleteQuietly(evidenceDir);
            if (controls is not null) await controls.StopUnfinishedAsync();
            log.LogError(e, "Run {RunId} failed unexpectedly", run.Id);
            await FinishAsync(db, run, RunState.Failed, $"An unexpected error stopped the run ({e.GetType().Name}: {e.Message}). No evidence was kept.");
        }
        finally
        {
            if (controls is not null) await controls.DisposeAsync();
            if (engine != configuredEngine) (engine as IDisposable)?.Dispose();
        }
    }

    /// <summary>At a stop, a query of an engine whose queries live in this process (the local engine) is
    /// about to end with it. Stop it now and forget its execution, so that the next start runs the query
    /// afresh instead of ending the run Failed for an execution nobody knows. A query that had already
    /// finished keeps its execution: its result is on disk and is read again.</summary>
    private async Task ForgetQueryDyingWithThisProcessAsync(IQueryEngine engine, SoxAutoDb db, Run run)
    {
        if (run.ExecutionId is not { } execution || engine.ExecutionsOutliveProcess) return;
        try
        {
            await StopEngineAsync(engine, execution);
            if ((await engine.GetStatusAsync(execution, CancellationToken.None)).State == EngineState.Succeeded) return;
            await engine.DiscardAsync(execution, CancellationToken.None);
            run.ExecutionId = null;
            await SaveAsync(db, run, RunState.Running, "Interrupted when the app stopped; the query starts again when the app is back.");
        }
        catch (Exception e)
        {
            // Not fatal: the next start then ends the run Failed, saying the engine no longer knows the query.
            log.LogWarning(e, "Run {RunId}: forgetting its interrupted query failed", run.Id);
        }
    }

    /// <summary>A reperformance reads the data as it was when the original's query started (set just before SoxAuto
    /// submitted it; the engine's own submission time is not recorded), where the engine can: Iceberg tables on Athena.</summary>
    private static async Task<DateTimeOffset?> OriginalQueryStartAsync(SoxAutoDb db, Run run) => run.ReperformanceOf is { } of
        ? await db.Runs.Where(r => r.Id == of).Select(r => r.StartedAt).FirstOrDefaultAsync(CancellationToken.None)
        : null;

    private async Task<EngineStatus> WaitForEngineAsync(IQueryEngine engine, Run run, CancellationToken ct)
    {
        var interval = options.Value.PollInterval;
        for (int polls = 0; ; polls++)
        {
            var status = await engine.GetStatusAsync(run.ExecutionId!, ct);
            if (status.IsFinal) return status;
            await Task.Delay(engine.NextPollDelay(polls, interval), clock, ct);
        }
    }

    private async Task StopEngineAsync(IQueryEngine engine, string executionId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await engine.StopAsync(executionId, timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Stopping execution {ExecutionId} failed", executionId);
        }
    }

    private static void Record(Run run, EngineStatistics? stats)
    {
        run.DataScannedBytes = stats?.DataScannedBytes ?? run.DataScannedBytes;
        run.EngineMillis = stats?.EngineExecutionMillis ?? run.EngineMillis;
        run.QueueMillis = stats?.QueueMillis ?? run.QueueMillis;
        run.TotalMillis = stats?.TotalMillis ?? run.TotalMillis;
        run.EngineVersion = stats?.EngineVersion ?? run.EngineVersion;
        run.ReusedPreviousResult = stats?.ReusedPreviousResult ?? run.ReusedPreviousResult;
    }

    private IReadOnlyList<KeyValuePair<string, string>> Facts(Run run, IpeDefinition ipe)
    {
        var v = run.IpeVersion!;
        var period = run.Period;
        return
        [
            new("IPE", ipe.Id),
            new("Title", ipe.Title),
            new("Description", ipe.Description),
            new("Control", ipe.Control),
            new("G/L accounts", ipe.GlAccounts.Count == 0 ? "(none)" : string.Join(", ", ipe.GlAccounts)),
            new("IPE version", $"{v.Number} (authored by {PersonSubject.Describe(v.AuthoredBy, v.AuthoredBySubject)} at {UtcTime.Text(v.AuthoredAt)})"),
            new("Approved by", v.ApprovedBy is null ? "(not approved)" : $"{PersonSubject.Describe(v.ApprovedBy, v.ApprovedBySubject)} at {UtcTime.Text(v.ApprovedAt)}"),
            new("Period", period.Text),
            new("Period start (inclusive)", period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("Period end, the cutoff (inclusive)", period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("Next period start (exclusive)", period.NextStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("Parameters", RunService.Describe(run.Parameters)),
            new("Run", $"run-{run.Id}"),
            .. (run.ReperformanceOf is { } of ? [new KeyValuePair<string, string>("Reperforms", $"run-{of} (see the Reperformance sheet)")] : Array.Empty<KeyValuePair<string, string>>()),
            .. (run.ReperformanceOf is { } o && run.ExecutedSql != QueryRenderer.Render(ipe.Sql, run.Parameters)
                ? [new KeyValuePair<string, string>("SQL as executed", $"Not the approved SQL verbatim: FOR TIMESTAMP AS OF was added after its Iceberg tables, to read them as of run-{o}'s query start. The approved SQL, as run-{o} executed it, is on the Reperformance sheet.")]
                : Array.Empty<KeyValuePair<string, string>>()),
            new("Run by", PersonSubject.Describe(run.RequestedBy, run.RequestedBySubject)),
            new("Requested at", UtcTime.Text(run.RequestedAt)),
            new("Query started at", UtcTime.Text(run.StartedAt)),
            new("Evidence written at", UtcTime.Text(clock.GetUtcNow())),
            new("Engine", run.Engine ?? ""),
            new("Database", run.Database ?? ""),
            new("Execution id", run.ExecutionId ?? ""),
            new("Result read from", run.ResultSource ?? ""),
            new("Data scanned (bytes)", run.DataScannedBytes?.ToString(CultureInfo.InvariantCulture) ?? "(not reported by the engine)"),
            .. EngineFacts(run),
        ];
    }

    /// <summary>The engine's own statistics as saved on the run, where it reported them (Athena reports all of these).</summary>
    private static IEnumerable<KeyValuePair<string, string>> EngineFacts(Run run)
    {
        static string Ms(long? ms) => ms?.ToString(CultureInfo.InvariantCulture) ?? "(not reported by the engine)";
        yield return new("Engine time (ms)", Ms(run.EngineMillis));
        yield return new("Queue time (ms)", Ms(run.QueueMillis));
        yield return new("Total time (ms)", Ms(run.TotalMillis));
        yield return new("Engine version", run.EngineVersion ?? "(not reported by the engine)");
        if (run.ReusedPreviousResult is { } reused)
            yield return new("Reused a previous result", reused ? "yes" : "no");
    }

    internal async Task SaveAsync(SoxAutoDb db, Run run, RunState state, string message)
    {
        run.State = state;
        run.Message = message;
        await db.SaveChangesAsync(CancellationToken.None);
        progress.Publish(new RunUpdate(run.Id, state, message, 0));
    }

    /// <summary>Saves the outcome and records it in the audit trail, once: if another process has taken
    /// the run over meanwhile, the save fails (the run's owner is a concurrency token) and nothing is recorded.</summary>
    internal async Task FinishAsync(SoxAutoDb db, Run run, RunState state, string message)
    {
        run.FinishedAt = clock.GetUtcNow();
        run.State = state;
        run.Message = message;
        // Who is told, written in the same transaction as the outcome: never one without the other. Writing
        // a message sends nothing; a message that cannot even be written never costs the run its outcome.
        try
        {
            if (RunNotifications.For(run) is { } notice)
                notifications.Add(db, notice);
        }
        catch (Exception e)
        {
            log.LogError(e, "Run {RunId}: its notification could not be written; the run ends {State} without it", run.Id, state);
        }
        try
        {
            await SaveAsync(db, run, state, message);
        }
        catch (DbUpdateConcurrencyException)
        {
            log.LogWarning("Run {RunId} was taken over by another process before it could end {State} here", run.Id, state);
            return;
        }
        log.LogInformation("Run {RunId} ended {State}: {Message}", run.Id, state, message);
        notifications.Wake();
        await audit.RecordAsync("system", $"run.{state.ToString().ToLowerInvariant()}", $"run/{run.Id}", message, "system");
        await batches.AfterRunEndedAsync(run);
    }

    internal static void DeleteQuietly(string? dir)
    {
        try { if (dir is not null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Publishes the row count as the evidence pass goes, at most a few times a second.</summary>
    private sealed class RowsProgress(RunProgress progress, Run run) : IProgress<long>
    {
        private long _lastTicks;
        public void Report(long rows)
        {
            var now = Environment.TickCount64;
            if (now - _lastTicks < 200) return;
            _lastTicks = now;
            progress.Publish(new RunUpdate(run.Id, RunState.WritingEvidence, $"Writing the evidence: {rows:N0} rows so far.", rows));
        }
    }
}
