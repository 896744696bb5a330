using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Reconciliations;

/// <summary>
/// Carries a reconciliation run from Queued to a final state, with the machinery of IPE runs: its lease
/// (<see cref="RunLeases"/>), its states saved before they are announced, recovery after a restart (it then
/// starts over: choosing the runs and totalling them again gives the same figures), the audit trail and its
/// evidence stored with a SHA-256. It takes the latest succeeded run of each active IPE of the control for the
/// period with default parameters (and CR_04, CR_05 and CR_03), starting and executing the missing ones; an
/// input run that fails makes the reconciliation fail with that reason, never a partial result.
/// </summary>
public sealed class ReconciliationExecutor(
    IDbContextFactory<SoxAutoDb> dbs, IpeCatalog catalog, RunService runs, RunExecutor executor, RunQueue queue, RunLeases leases,
    IEvidenceStore store, TimeProvider clock, IOptions<SoxAutoOptions> options, ILogger<ReconciliationExecutor> log)
{
    /// <summary>The G/L reports every reconciliation reads beside the control's own IPEs.</summary>
    public static IReadOnlyList<(InputRole Role, string IpeId)> GlReports { get; } =
        [(InputRole.Balances, "CR_04"), (InputRole.Rates, "CR_05"), (InputRole.Entries, "CR_03")];

    public async Task ExecuteAsync(int runId, CancellationToken ct, CancellationToken stopping)
    {
        var claimed = await leases.TryClaimAsync(runId, CancellationToken.None);
        await using var heartbeat = leases.Keep(runId); // takes over the renewing begun when this process wrote the run
        if (!claimed) return;
        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Lost);
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        if (run is null || run.IsFinal || run.Kind != RunKind.Reconciliation) return;
        string? evidenceDir = null;
        try
        {
            if (run.CancelRequested) throw new OperationCanceledException();
            var resumed = run.State != RunState.Queued;
            if (!resumed && await db.Runs.Where(r => r.Id == run.Id && r.State == RunState.Queued && !r.CancelRequested && r.Owner == leases.Holder)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RunState.Running), CancellationToken.None) == 0)
                return;
            run.StartedAt ??= clock.GetUtcNow();
            await executor.SaveAsync(db, run, RunState.Running, resumed
                ? "Resumed after an interruption: choosing the IPE runs again." : "Choosing the IPE runs of the control.");
            var control = await db.ControlVersions.AsNoTracking().FirstAsync(v => v.Id == run.ControlVersionId, CancellationToken.None);
            var inputs = await GatherAsync(db, run, working.Token, stopping);

            await executor.SaveAsync(db, run, RunState.WritingEvidence, "Totalling the extracts and writing the evidence.");
            var lines = await ReconciliationFigures.ComputeAsync(inputs, control.Definition, store, working.Token);
            var records = inputs.Select((i, n) => new ReconciliationInput
            {
                Order = n,
                Role = i.Role,
                IpeId = i.Version.IpeId,
                IpeVersionNumber = i.Version.Number,
                InputRunId = i.Run.Id,
                ExtractSha256 = i.Run.ExtractSha256!,
                Rows = i.Run.RowCount ?? 0,
                RunBy = i.Run.RequestedBy,
                FinishedAt = i.Run.FinishedAt,
            }).ToList();
            evidenceDir = store.WorkFolder(run.Id);
            Directory.CreateDirectory(evidenceDir);
            var csv = Path.Combine(evidenceDir, run.FileStem + ".csv");
            var xlsx = Path.Combine(evidenceDir, run.FileStem + ".xlsx");
            await WriteLinesAsync(csv + ".partial", lines);
            ReconciliationWorkbook.Write(xlsx + ".partial", Facts(run, control, lines), lines, records, control);
            working.Token.ThrowIfCancellationRequested();
            File.Move(csv + ".partial", csv, overwrite: true);
            File.Move(xlsx + ".partial", xlsx, overwrite: true);
            (run.ExtractSha256, run.ExtractBytes) = await RunFiles.HashFileAsync(csv, CancellationToken.None);
            (run.WorkbookSha256, run.WorkbookBytes) = await RunFiles.HashFileAsync(xlsx, CancellationToken.None);
            // Published only once both are complete; the run records the keys it can be read back by.
            EvidenceObject extract = new(IEvidenceStore.KeyOf(run.Id, Path.GetFileName(csv)), csv, run.ExtractSha256, run.ExtractBytes.Value),
                workbook = new(IEvidenceStore.KeyOf(run.Id, Path.GetFileName(xlsx)), xlsx, run.WorkbookSha256, run.WorkbookBytes.Value);
            await store.PublishAsync(run.Id, [extract, workbook], working.Token);
            run.ExtractPath = extract.Key;
            run.WorkbookPath = workbook.Key;
            run.RowCount = lines.Count;
            foreach (var line in lines) line.RunId = run.Id;
            foreach (var input in records) input.RunId = run.Id;
            db.ReconciliationLines.AddRange(lines);
            db.ReconciliationInputs.AddRange(records);
            // The lines are saved with the run's final state, in one transaction: never lines without an outcome.
            await executor.FinishAsync(db, run, RunState.Succeeded, Outcome(lines));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !heartbeat.IsLost)
        {
            RunExecutor.DeleteQuietly(evidenceDir);
            await heartbeat.LetGoAsync();
        }
        catch (Exception e) when (heartbeat.IsLost || e is DbUpdateConcurrencyException)
        {
            log.LogWarning(e, "Reconciliation {RunId} is no longer held by this process; it stopped working on it", run.Id);
        }
        catch (OperationCanceledException)
        {
            RunExecutor.DeleteQuietly(evidenceDir);
            var by = await db.Runs.Where(r => r.Id == run.Id).Select(r => r.CancelledBy).FirstOrDefaultAsync(CancellationToken.None);
            await executor.FinishAsync(db, run, RunState.Cancelled, $"Cancelled by {by ?? "a user"}. Nothing was reconciled; the IPE runs it started go on as runs of their own.");
        }
        catch (Exception e) when (e is ReconciliationException or ParameterException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            RunExecutor.DeleteQuietly(evidenceDir);
            log.LogWarning(e, "Reconciliation {RunId} failed", run.Id);
            await executor.FinishAsync(db, run, RunState.Failed, e is ReconciliationException ? e.Message : $"{e.Message} Nothing was reconciled.");
        }
        catch (Exception e)
        {
            RunExecutor.DeleteQuietly(evidenceDir);
            log.LogError(e, "Reconciliation {RunId} failed unexpectedly", run.Id);
            await executor.FinishAsync(db, run, RunState.Failed, $"An unexpected error stopped the reconciliation ({e.GetType().Name}: {e.Message}). Nothing was reconciled.");
        }
    }

    public static string Outcome(IReadOnlyList<ReconciliationLine> lines)
    {
        var outside = lines.Where(l => l.Outside).ToList();
        return outside.Count == 0
            ? $"Reconciles: all {lines.Count} lines are within their thresholds."
            : $"Does not reconcile: {outside.Count} of {lines.Count} lines are outside their thresholds ("
              + string.Join("; ", outside.Take(3).Select(l => $"{l.Company} {l.GlAccount}: {ReconciliationWorkbook.Number(l.Difference)} {l.Currency}"))
              + (outside.Count > 3 ? "; …" : "") + ").";
    }

    /// <summary>The runs the reconciliation reads, each succeeded: found, waited for, or started and executed here.</summary>
    private async Task<List<InputRun>> GatherAsync(SoxAutoDb db, Run run, CancellationToken ct, CancellationToken stopping)
    {
        var active = await catalog.ActiveAsync(ct);
        var needed = active.Where(v => v.Definition.Control == run.IpeId && v.Definition.Reconciliation is not null)
            .Select(v => (Role: InputRole.Supports, Version: v)).ToList();
        if (needed.Count == 0)
            throw new ReconciliationException($"No active IPE of control {run.IpeId} says how it maps to the G/L, so there is nothing to reconcile.");
        foreach (var (role, id) in GlReports)
            needed.Add((role, active.FirstOrDefault(v => v.IpeId == id)
                ?? throw new ReconciliationException($"{id} ({ReconciliationInput.Describe(role)}) is not in the active catalog, so the reconciliation cannot be made.")));

        // The IPE runs it starts are the requester's, as if they had clicked Run IPE for each.
        var actor = new Actor(run.RequestedBy, $"reconciliation run-{run.Id}") { Subject = run.RequestedBySubject };
        var ids = new int[needed.Count];
        // A run started here, or one of the reconciliation's own batch: its outcome is final, never replaced.
        var ours = new bool[needed.Count];
        for (var i = 0; i < needed.Count; i++)
        {
            var (found, ofBatch) = await FoundRunAsync(needed[i].Version, run, ct);
            (ids[i], ours[i]) = found is { } id ? (id, ofBatch) : (await StartRunAsync(needed[i].Version, run, actor, ct), true);
        }
        await executor.SaveAsync(db, run, RunState.Running,
            $"Using {string.Join(", ", needed.Select((n, i) => $"{n.Version.IpeId} run {ids[i]}"))}; waiting for those not finished.");
        // Runs not finished are executed here, several at once as the worker would; one that another live
        // process holds is waited for. Cancelling the reconciliation does not cancel them: they are runs of their own.
        await Parallel.ForEachAsync(Enumerable.Range(0, needed.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Value.WorkerConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                if (await ExecuteOrWaitAsync(ids[i], token, stopping) == RunState.Succeeded || ours[i]) return;
                // A run that was only found under way (e.g. one a restart interrupted, which the local engine cannot
                // resume) says nothing about the IPE when it does not succeed: start one of our own, once.
                ids[i] = await StartRunAsync(needed[i].Version, run, actor, token);
                await ExecuteOrWaitAsync(ids[i], token, stopping);
            });

        var inputs = new List<InputRun>();
        await using var read = await dbs.CreateDbContextAsync(ct);
        for (var i = 0; i < needed.Count; i++)
        {
            var input = await read.Runs.AsNoTracking().FirstAsync(r => r.Id == ids[i], ct);
            if (input.State != RunState.Succeeded)
                throw new ReconciliationException(
                    $"{needed[i].Version.IpeId} run {input.Id} ended {input.State}: {input.Message} A reconciliation needs a succeeded run of every IPE it reads, so nothing was reconciled.");
            inputs.Add(new InputRun(needed[i].Role, needed[i].Version, input));
        }
        return inputs;
    }

    /// <summary>In a batch, the batch's own run of this IPE version (<c>OfBatch</c>). Otherwise the latest succeeded run
    /// of this IPE version for the period with default parameters; else one under way.</summary>
    private async Task<(int? Id, bool OfBatch)> FoundRunAsync(IpeVersion version, Run recon, CancellationToken ct)
    {
        var defaults = JsonSerializer.Serialize(ParameterBinder.Bind(version.Definition, recon.Period, null), SoxAutoDb.Json);
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (recon.BatchId is { } batch
            && await db.Runs.Where(r => r.BatchId == batch && r.Kind == RunKind.Ipe && r.IpeVersionId == version.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct) is { } own)
            return (own, true);
        var candidates = await db.Runs.AsNoTracking()
            .Where(r => r.Kind == RunKind.Ipe && r.IpeVersionId == version.Id && r.PeriodText == recon.PeriodText
                && r.State != RunState.Failed && r.State != RunState.Cancelled)
            .OrderByDescending(r => r.Id).ToListAsync(ct);
        var same = candidates.Where(r => JsonSerializer.Serialize(r.Parameters, SoxAutoDb.Json) == defaults && r.Period == recon.Period).ToList();
        return ((same.FirstOrDefault(r => r.State == RunState.Succeeded) ?? same.FirstOrDefault(r => !r.IsFinal))?.Id, false);
    }

    /// <summary>A new run of this IPE version for the period with default parameters, held by this process, which executes it.</summary>
    private async Task<int> StartRunAsync(IpeVersion version, Run recon, Actor actor, CancellationToken ct)
    {
        try
        {
            return (await runs.RequestAsync(version.IpeId, recon.PeriodText, null, actor, ct, executeHere: true)).Id;
        }
        catch (RunRequestException e)
        {
            throw new ReconciliationException($"{version.IpeId} cannot be run for {recon.PeriodText}: {e.Message}");
        }
    }

    /// <summary>Executes the run here unless another live process holds it, then waits until it is final.</summary>
    private async Task<RunState> ExecuteOrWaitAsync(int id, CancellationToken ct, CancellationToken stopping)
    {
        // Tracked like the worker's runs, so that this process never executes one run twice and its Cancel reaches it.
        using (var running = queue.TryTrack(id, stopping))
        {
            if (running is not null)
            {
                try { await executor.ExecuteAsync(id, running.Token, stopping); }
                finally { queue.Untrack(id); }
            }
        }
        return await WaitForFinalAsync(id, ct);
    }

    private async Task<RunState> WaitForFinalAsync(int runId, CancellationToken ct)
    {
        while (true)
        {
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                var state = await db.Runs.Where(r => r.Id == runId).Select(r => r.State).FirstAsync(ct);
                if (state is RunState.Succeeded or RunState.Failed or RunState.Cancelled) return state;
            }
            await Task.Delay(options.Value.PollInterval, clock, ct);
        }
    }

    private IReadOnlyList<KeyValuePair<string, string>> Facts(Run run, ControlVersion control, IReadOnlyList<ReconciliationLine> lines) =>
    [
        new("Control", $"{control.ControlId}: {control.Definition.Title}"),
        new("Thresholds", $"version {control.Number} (approved by {control.ApprovedBy} at {UtcTime.Text(control.ApprovedAt)})"),
        new("Period", run.Period.Text),
        new("Period start (inclusive)", run.Period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new("Period end, the cutoff (inclusive)", run.Period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new("Reconciliation", $"run-{run.Id}"),
        new("Run by", run.RequestedBy),
        new("Requested at", UtcTime.Text(run.RequestedAt)),
        new("Evidence written at", UtcTime.Text(clock.GetUtcNow())),
        new("Result", Outcome(lines)),
        new("This workbook", "A workbook cannot contain its own SHA-256; SoxAuto records it with the reconciliation run. "
            + "The lines are also stored as a CSV file in Athena's dialect beside it, with its own SHA-256."),
    ];

    /// <summary>The lines as CSV in the extract format, so that they can be hashed, downloaded and read like any extract.</summary>
    private static async Task WriteLinesAsync(string path, IReadOnlyList<ReconciliationLine> lines)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await using (var csv = new AthenaCsvWriter(file, leaveOpen: true))
        {
            csv.WriteHeader(["gl_account", "company", "currency", "ipes", "sign", "ipe_rows", "ipe_total", "gl_balance", "difference",
                "threshold", "status", "usd_rate", "usd_rate_date", "difference_usd"]);
            static string N(decimal d) => (d.Scale >= 2 ? d : d + 0.00m).ToString(CultureInfo.InvariantCulture);
            foreach (var l in lines)
                csv.WriteRow([l.GlAccount, l.Company, l.Currency, l.Ipes, l.Sign, l.IpeRows.ToString(CultureInfo.InvariantCulture), N(l.IpeTotal),
                    N(l.GlBalance), N(l.Difference), N(l.Threshold), l.StatusText, l.UsdRate.ToString(CultureInfo.InvariantCulture), l.UsdRateDate, N(l.DifferenceUsd)]);
        }
        file.Flush(flushToDisk: true);
    }
}
