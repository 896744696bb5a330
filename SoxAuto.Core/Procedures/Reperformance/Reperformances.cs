using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.Reperformance;

/// <summary>
/// Reperformance: a past run's exact IPE version, period and parameters run again, as a normal run with
/// its own evidence (<see cref="Run.ReperformanceOf"/> links it to the original), and its extract compared
/// with the original's: row count, control totals, SHA-256, and the rows that differ. The comparison is a
/// sheet of the reperformance's workbook and is stored on the run (<see cref="Run.ReperformanceJson"/>).
/// </summary>
public sealed class Reperformances(IDbContextFactory<SoxAutoDb> dbs, RunAccess access, RunService runs, IEvidenceStore store) : IRunProcedure
{
    /// <summary>Writes the reperformance run (Queued) and hands it to the worker, or with
    /// <paramref name="executeHere"/> holds it for this process (the headless verb). The original must be
    /// a succeeded IPE run that <paramref name="actor"/> may see.</summary>
    public async Task<Run> RequestAsync(int originalRunId, Actor actor, CancellationToken ct = default, bool executeHere = false)
    {
        var original = await access.OpenAsync(originalRunId, actor, $"/runs/{originalRunId}/reperform", ct)
            ?? throw new RunRequestException($"There is no run {originalRunId}.");
        if (original.Kind != RunKind.Ipe)
            throw new RunRequestException($"Run {originalRunId} is a reconciliation; only an IPE's run is reperformed.");
        if (original.State != RunState.Succeeded)
            throw new RunRequestException($"Run {originalRunId} ended {original.State} and has no evidence to compare with; only a succeeded run is reperformed.");
        var run = new Run
        {
            IpeId = original.IpeId,
            IpeVersionId = original.IpeVersionId,
            IpeVersionNumber = original.IpeVersionNumber,
            Period = original.Period,
            Parameters = [.. original.Parameters],
            RequestedBy = actor.Name,
            RequestedBySubject = actor.Subject,
            ReperformanceOf = original.Id,
        };
        await runs.AddAsync([new RunRequest(run, "reperformance.requested",
            $"reperforms run {original.Id}: {run.IpeId} v{run.IpeVersionNumber} for {run.Period.Describe()}; parameters: {RunService.Describe(run.Parameters)}")],
            actor, executeHere, null, ct);
        return run;
    }

    /// <summary>The comparison stored on a reperformance run; null for another run or before it succeeded.</summary>
    public static ReperformanceResult? ResultOf(Run run) =>
        run.ReperformanceJson is { } json ? JsonSerializer.Deserialize<ReperformanceResult>(json, SoxAutoDb.Json) : null;

    /// <summary>The reperformances of a run, newest first, for its page.</summary>
    public async Task<IReadOnlyList<Run>> OfAsync(int originalRunId, Actor who, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Runs.AsNoTracking().VisibleTo(who).Where(r => r.ReperformanceOf == originalRunId)
            .OrderByDescending(r => r.Id).ToListAsync(ct);
    }

    internal static IReadOnlyList<ColumnProfile> OriginalColumns(Run run) =>
        run.ColumnsJson is { } json ? JsonSerializer.Deserialize<List<ColumnProfile>>(json, SoxAutoDb.Json) ?? [] : [];

    public async Task<IEvidenceSheet?> SheetForAsync(Run run, CancellationToken ct)
    {
        if (run.ReperformanceOf is not { } of) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var original = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == of, ct);
        // Read through RunFiles, the one place that says where a run's stored extract is.
        var extract = RunFiles.Of(original).Single(f => f.Kind == RunFiles.Extract);
        return new ReperformanceSheet(run, original, c => extract.OpenAsync(store, c), run.IpeVersion!.Definition.Checks.KeyColumns, DataBasis(run, original));
    }

    /// <summary>What data the reperformance read. Neither engine reads a table as of a past time here, so
    /// this never claims it did: the local lake is immutable only while its manifest holds.</summary>
    private static string DataBasis(Run run, Run original) => run.Engine?.StartsWith("Local", StringComparison.Ordinal) == true
        ? $"The tables as they are now, on the local engine. The demo lake's files are checked against its manifest before every query, so an unchanged demo lake gives the original's data; a lake of one's own Parquet files may have changed since run {original.Id}."
        : $"The tables as they are now on {run.Engine}, not as of the original run ({UtcTime.Text(original.StartedAt)}): SoxAuto does not query Iceberg tables FOR TIMESTAMP AS OF yet, so data that changed since then shows here as differences.";
}
