using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.RollForward;

public sealed class RollForwardException(string message) : Exception(message);

/// <summary>
/// Roll-forward: a succeeded IPE run compared with the latest succeeded run of the same IPE for the prior period
/// (<see cref="Periods.Period.Prior"/>) that the person may see, reperformances left aside. Both stored extracts
/// are first checked against their recorded SHA-256, then streamed through the evidence store
/// (<see cref="RollForwardComparison"/>). Every roll-forward shown or exported is in the audit trail.
/// </summary>
public sealed class RollForwards(IDbContextFactory<SoxAutoDb> dbs, RunAccess access, AuditTrail audit, IEvidenceStore store)
{
    /// <summary>The roll-forward of run <paramref name="runId"/>, recorded as <c>rollforward.viewed</c>; null when
    /// there is no such run that <paramref name="who"/> may see. <paramref name="through"/>: the address asked for.</summary>
    public async Task<RollForward?> OfAsync(int runId, Actor who, string through, CancellationToken ct = default)
    {
        if (await ComputeAsync(runId, who, through, ct) is not { } found) return null;
        await audit.RecordAsync(who, "rollforward.viewed", $"run/{runId}", Summary(found.Result), ct);
        return found.Result;
    }

    /// <summary>The roll-forward as a workbook (its file name and bytes), recorded as <c>rollforward.exported</c>
    /// with the file's SHA-256; null when there is no such run that <paramref name="who"/> may see.</summary>
    public async Task<(string FileName, byte[] Bytes)?> ExportAsync(int runId, Actor who, string through, CancellationToken ct = default)
    {
        if (await ComputeAsync(runId, who, through, ct) is not { } found) return null;
        var bytes = await WorkbookPackage.BytesAsync(path => RollForwardWorkbook.Write(path, found.Result, found.Run), ct);
        var name = $"{found.Run.FileStem}_roll-forward.xlsx";
        await audit.RecordAsync(who, "rollforward.exported", $"run/{runId}",
            $"{name} (sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}); {Summary(found.Result)}", ct);
        return (name, bytes);
    }

    private async Task<(Run Run, RollForward Result)?> ComputeAsync(int runId, Actor who, string through, CancellationToken ct)
    {
        var run = await access.OpenAsync(runId, who, through, ct);
        if (run is null) return null;
        if (run.Kind != RunKind.Ipe)
            throw new RollForwardException($"Run {runId} is a reconciliation; only an IPE's run is rolled forward.");
        var extract = RunFiles.Of(run).FirstOrDefault(f => f.Kind == RunFiles.Extract)
            ?? throw new RollForwardException($"Run {runId} ended {run.State} and has no extract; only a succeeded run is rolled forward.");
        if (run.Period.Prior is not { } priorPeriod)
            return (run, RollForward.Without(run.Id, run.IpeId, run.PeriodText, null, run.RowCount ?? 0,
                $"The period {run.PeriodText} is a custom cutoff, which has no prior period to roll forward from; run the IPE for a month, quarter or year."));

        Run? prior;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            prior = await db.Runs.AsNoTracking().VisibleTo(who)
                .Where(r => r.Kind == RunKind.Ipe && r.IpeId == run.IpeId && r.State == RunState.Succeeded && r.ReperformanceOf == null
                    && r.PeriodText == priorPeriod.Text)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (prior is null)
            return (run, RollForward.Without(run.Id, run.IpeId, run.PeriodText, priorPeriod.Text, run.RowCount ?? 0,
                $"There is no succeeded run of {run.IpeId} for the prior period {priorPeriod.Text} that you may see; run it for {priorPeriod.Text} first."));
        var priorExtract = RunFiles.Of(prior).Single(f => f.Kind == RunFiles.Extract);
        if (await RunFiles.FirstAlteredAsync([priorExtract, extract], store, ct) is { } altered)
            throw new RollForwardException(altered + " The roll-forward is not computed from it.");

        var definition = run.IpeVersion!.Definition;
        var checks = definition.Checks;
        var account = checks.GlAccountColumn ?? definition.Reconciliation?.GlAccountColumn;
        var columns = new RollForwardColumns(checks.KeyColumns, definition.Reconciliation?.AmountColumn ?? checks.AmountColumns.FirstOrDefault(),
            checks.CompanyColumn ?? definition.Reconciliation?.CompanyColumn, account, account is null ? definition.Reconciliation?.GlAccount : null);
        var figures = await RollForwardComparison.CompareAsync(c => priorExtract.OpenAsync(store, c), c => extract.OpenAsync(store, c), columns, ct);

        var notes = new List<string>();
        if (prior.IpeVersionNumber != run.IpeVersionNumber)
            notes.Add($"Run {prior.Id} ran version {prior.IpeVersionNumber} of {run.IpeId}, this run version {run.IpeVersionNumber}: part of the movement may come from the change of query.");
        if (Selection(prior) != Selection(run))
            notes.Add($"The runs' parameters differ (run {prior.Id}: {RunService.Describe(prior.Parameters)}; this run: {RunService.Describe(run.Parameters)}).");
        notes.AddRange(figures.Notes);
        return (run, new RollForward(run.Id, run.IpeId, run.PeriodText, priorPeriod.Text, prior.Id, null, figures.Rows, figures.PriorRows,
            columns.Keys.Count == 0 ? "" : "the key columns " + string.Join(", ", columns.Keys), figures.KeysCompared,
            figures.NewKeys, figures.RemovedKeys, figures.Keys, columns.Amount, figures.Total, figures.ByAccount, figures.ByCompany, notes));
    }

    /// <summary>The parameters other than dates (which differ between periods by definition): companies, accounts.</summary>
    private static string Selection(Run run) => RunService.Describe(run.Parameters.Where(p => p.Type != Catalog.ParameterType.Date));

    private static string Summary(RollForward r) => r.PriorRunId is { } prior
        ? $"{r.IpeId} {r.Period} against run {prior} for {r.PriorPeriod}: {r.NewKeys:N0} new keys, {r.RemovedKeys:N0} removed"
            + (r.Total is { } t ? $"; {r.AmountColumn} {t.Prior} to {t.Current} (change {t.Change})" : "")
        : $"{r.IpeId} {r.Period}: no prior run ({r.NoPrior})";
}
