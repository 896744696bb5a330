using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
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

    /// <summary>What data the reperformance read, from the SQL it executed (so it claims only what was sent): on the local
    /// engine the lake as it is; elsewhere, per table, as of the original's time where the SQL says FOR ... AS OF, now otherwise.</summary>
    internal static string DataBasis(Run run, Run original)
    {
        if (run.Engine?.StartsWith("Local", StringComparison.Ordinal) == true)
            return $"The tables as they are now, on the local engine. The demo lake's files are checked against its manifest before every query, so an unchanged demo lake gives the original's data; a lake of one's own Parquet files may have changed since run {original.Id}.";
        var tables = TableReferences.Find(run.ExecutedSql ?? "");
        string Names(IEnumerable<TableReference> refs) => string.Join(", ", refs.Select(t => t.Qualified(run.Database)).Distinct(StringComparer.Ordinal));
        var then = tables.Where(t => t.AsOf is not null).ToList();
        var now = Names(tables.Where(t => t.AsOf is null));
        var moved = $"so data that changed since run {original.Id} ({UtcTime.Text(original.StartedAt)}) may have moved and shows here as differences";
        if (then.Count == 0)
            return $"The tables as they are now on {run.Engine}{(now == "" ? "" : $" ({now})")}: none is an Iceberg table of the configured catalog, so none could be read as of the original run, {moved}.";
        var asOf = string.Join("; ", then.GroupBy(t => t.AsOf!, StringComparer.Ordinal).Select(g => $"{Names(g)} {When(g.Key)}"));
        return $"On {run.Engine}, the Iceberg tables were read as of run {original.Id}'s query start (FOR TIMESTAMP AS OF): {asOf}."
            + (now == "" ? " Every table the query reads is an Iceberg table." : $" The other tables were read as they are now ({now}): they are not Iceberg tables of the configured catalog, {moved}.");
    }

    /// <summary>"as of 2026-12-01 20:01:02.123 UTC" from the clause as sent (FOR TIMESTAMP AS OF TIMESTAMP '...').</summary>
    private static string When(string clause)
    {
        var literal = clause[(clause.IndexOf(" OF ", StringComparison.OrdinalIgnoreCase) + 4)..].Trim();
        const string Prefix = "TIMESTAMP '";
        return "as of " + (literal.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && literal.EndsWith('\'') ? literal[Prefix.Length..^1] : literal);
    }
}
