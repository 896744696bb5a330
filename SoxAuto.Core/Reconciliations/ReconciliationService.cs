using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Reconciliations;

/// <summary>A reconciliation as pages and the headless verb read it: the run, its lines and what it was built on.</summary>
public sealed record ReconciliationView(Run Run, IReadOnlyList<ReconciliationLine> Lines, IReadOnlyList<ReconciliationInput> Inputs, ControlVersion? Control)
{
    public int Outside => Lines.Count(l => l.Outside);
    /// <summary>True only for a succeeded reconciliation whose every line is within its threshold.</summary>
    public bool Reconciles => Run.State == RunState.Succeeded && Lines.Count > 0 && Outside == 0;
}

/// <summary>What happens when someone asks for a control's reconciliation for a period, and what they read
/// afterwards. The reconciliation itself is a run (<see cref="RunKind.Reconciliation"/>): the worker (or
/// the headless verb) executes it with <see cref="ReconciliationExecutor"/>.</summary>
public sealed class ReconciliationService(IDbContextFactory<SoxAutoDb> dbs, ControlChanges controls, RunService runs, IEvidenceStore store)
{
    /// <summary>Validates the request and writes the run (Queued) with the control version whose thresholds it
    /// will use, then hands it to the worker (or, with <paramref name="executeHere"/>, keeps it for this process).</summary>
    public async Task<Run> RequestAsync(string controlId, string periodText, Actor actor, CancellationToken ct = default, bool executeHere = false)
    {
        var request = await PrepareAsync(controlId, periodText, actor, ct);
        await runs.AddAsync([request], actor, executeHere, null, ct);
        return request.Run;
    }

    /// <summary>The reconciliation run a request would write (validated, not yet saved), with its audit entry.</summary>
    internal async Task<RunRequest> PrepareAsync(string controlId, string periodText, Actor actor, CancellationToken ct)
    {
        var control = await controls.ActiveAsync(controlId.Trim(), ct)
            ?? throw new RunRequestException($"There is no control called '{controlId}' in the catalog.");
        if (!Period.TryParse(periodText, runs.Today, out var period, out var error))
            throw new RunRequestException(error);
        var run = new Run
        {
            Kind = RunKind.Reconciliation,
            IpeId = control.ControlId,
            ControlVersionId = control.Id,
            IpeVersionNumber = control.Number,
            Period = period,
            RequestedBy = actor.Name,
            RequestedBySubject = actor.Subject,
        };
        return new RunRequest(run, "reconciliation.requested",
            $"{control.ControlId} for {period.Describe()} with the thresholds of version {control.Number}");
    }

    public async Task<ReconciliationView?> LoadAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.Kind == RunKind.Reconciliation, ct);
        if (run is null) return null;
        var lines = await db.ReconciliationLines.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Order).ToListAsync(ct);
        var inputs = await db.ReconciliationInputs.AsNoTracking().Where(i => i.RunId == runId).OrderBy(i => i.Order).ToListAsync(ct);
        var control = await db.ControlVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == run.ControlVersionId, ct);
        return new ReconciliationView(run, lines, inputs, control);
    }

    /// <summary>The latest reconciliation of each control and period among <paramref name="visible"/> runs, with
    /// its count of lines outside their thresholds: what the catalog shows per control.</summary>
    public static async Task<IReadOnlyList<(Run Run, int Outside)>> LatestAsync(SoxAutoDb db, IQueryable<Run> visible, CancellationToken ct = default)
    {
        var newest = visible.Where(r => r.Kind == RunKind.Reconciliation).GroupBy(r => new { r.IpeId, r.PeriodText }).Select(g => g.Max(r => r.Id));
        var latest = await db.Runs.AsNoTracking().Where(r => newest.Contains(r.Id)).ToListAsync(ct);
        var ids = latest.Select(r => r.Id).ToList();
        var outside = await db.ReconciliationLines.Where(l => ids.Contains(l.RunId) && l.Outside).GroupBy(l => l.RunId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return latest.OrderByDescending(r => r.Period.End).ThenByDescending(r => r.Id)
            .Select(r => (r, outside.GetValueOrDefault(r.Id))).ToList();
    }

    /// <summary>Where the rows behind a line are: the runs of the IPEs that support its account, then CR_03's G/L entries.</summary>
    public static IReadOnlyList<ReconciliationInput> SourcesOf(ReconciliationView view, ReconciliationLine line)
    {
        var ipes = line.Ipes.Split(", ");
        return view.Inputs.Where(i => (i.Role == InputRole.Supports && ipes.Contains(i.IpeId)) || i.Role == InputRole.Entries).ToList();
    }

    /// <summary>
    /// The rows behind one line, from one of the reconciliation's input runs: a supporting IPE's extract rows of
    /// that account and company, or CR_03's G/L entries of that account and company (the year up to the cutoff).
    /// Read from the stored extract itself, streamed (every match is counted and totalled, one page is kept).
    /// </summary>
    public async Task<RowsBehind> RowsBehindAsync(ReconciliationView view, ReconciliationLine line, ReconciliationInput source,
        long skip, int take, CancellationToken ct = default)
    {
        if (source.RunId != view.Run.Id || source.Role is not (InputRole.Supports or InputRole.Entries))
            throw new ReconciliationException($"Run {source.InputRunId} holds no rows behind this reconciliation's lines.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var input = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == source.InputRunId, ct);
        var version = await db.IpeVersions.AsNoTracking().FirstAsync(v => v.IpeId == source.IpeId && v.Number == source.IpeVersionNumber, ct);
        var map = source.Role == InputRole.Entries
            ? new GlReconciliation { AmountColumn = "amount", CompanyColumn = "company_code", GlAccountColumn = "gl_account_no" }
            : version.Definition.Reconciliation!;
        if (map.GlAccount is { } only && only != line.GlAccount)
            return new RowsBehind(source, [], [], 0, "0");
        string[] filter = map.GlAccountColumn is null ? [map.CompanyColumn, map.AmountColumn] : [map.CompanyColumn, map.AmountColumn, map.GlAccountColumn];
        string[]? columns = null;
        var rows = new List<string?[]>();
        var total = new ExactSum();
        long matches = 0;
        await ReconciliationFigures.ReadRowsAsync(new InputRun(source.Role, version, input), store, filter, (row, at) =>
        {
            if (row.Text(at[0]) != line.Company || (at.Length == 3 && row.Text(at[2]) != line.GlAccount)) return;
            if (row.TryNumber(at[1], out var amount)) total.Add(amount);
            if (matches++ < skip || rows.Count >= take) return;
            rows.Add(Enumerable.Range(0, columns!.Length).Select(row.Text).ToArray());
        }, ct, names => columns = names);
        return new RowsBehind(source, columns ?? [], rows, matches, total.ToString());
    }
}

/// <summary>One page of the rows behind a reconciliation line, with how many there are and their amount total.</summary>
public sealed record RowsBehind(ReconciliationInput Source, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, long Matches, string Total);
