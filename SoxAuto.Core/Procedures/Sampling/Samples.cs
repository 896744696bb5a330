using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.Sampling;

/// <summary>
/// Samples for tests of details, drawn from a succeeded run's stored extract (read through <see cref="RunFiles"/>,
/// after checking it still has its recorded SHA-256), stored with the run and in the audit trail, and exported
/// as a workbook. The same seed on the same extract always draws the same rows.
/// </summary>
public sealed class Samples(IDbContextFactory<SoxAutoDb> dbs, RunAccess access, AuditTrail audit, IEvidenceStore store, TimeProvider clock)
{
    /// <summary>A seed for a sample whose drawer gave none; recorded with the sample like a chosen one.</summary>
    public static long NewSeed() => RandomNumberGenerator.GetInt32(1, int.MaxValue);

    public async Task<Sample> DrawAsync(int runId, SampleSpec spec, Actor actor, CancellationToken ct = default)
    {
        if (spec.Size is < 1 or > SampleSpec.MaxSize)
            throw new SampleException(FormattableString.Invariant($"The sample size must be between 1 and {SampleSpec.MaxSize:N0}."));
        var run = await access.OpenAsync(runId, actor, $"/runs/{runId}/samples", ct)
            ?? throw new SampleException($"There is no run {runId}.");
        var extract = RunFiles.Of(run).FirstOrDefault(f => f.Kind == RunFiles.Extract)
            ?? throw new SampleException($"Run {runId} ended {run.State} and has no extract to sample; only a succeeded run is sampled.");
        if (await RunFiles.FirstAlteredAsync([extract], store, ct) is { } altered)
            throw new SampleException(altered + " No sample is drawn from it.");

        var drawn = await SampleDraw.DrawAsync(c => extract.OpenAsync(store, c), spec, ct);
        var sample = new Sample
        {
            RunId = runId,
            Method = spec.Method,
            Size = spec.Size,
            Seed = spec.Seed,
            AmountColumn = spec.Method == SampleMethod.MonetaryUnit ? spec.AmountColumn?.Trim() : null,
            StratumColumn = spec.Method == SampleMethod.Stratified ? spec.StratumColumn?.Trim() : null,
            PopulationRows = drawn.PopulationRows,
            PopulationAmount = Text(drawn.PopulationAmount),
            Interval = Text(drawn.Interval),
            RandomStart = Text(drawn.RandomStart),
            ExtractSha256 = extract.Sha256,
            ColumnsJson = System.Text.Json.JsonSerializer.Serialize(drawn.Columns),
            DrawnBy = actor.Name,
            DrawnAt = clock.GetUtcNow(),
            Rows = [.. drawn.Rows],
        };
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Samples.Add(sample);
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(actor, "sample.drawn", $"run/{runId}", $"sample {sample.Id}: {Describe(sample)}; {sample.Rows.Count} rows drawn", ct);
        return sample;
    }

    /// <summary>The samples of a run <paramref name="who"/> may see, newest first, with their rows.</summary>
    public async Task<IReadOnlyList<Sample>> OfAsync(int runId, Actor who, CancellationToken ct = default)
    {
        if (await access.OpenAsync(runId, who, $"/runs/{runId}", ct) is null) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Samples.AsNoTracking().Include(s => s.Rows.OrderBy(r => r.RowNumber))
            .Where(s => s.RunId == runId).OrderByDescending(s => s.Id).ToListAsync(ct);
    }

    /// <summary>The sample's workbook (its file name and bytes), with the export recorded; null when there is no
    /// such sample of a run <paramref name="who"/> may see. <paramref name="through"/>: the address asked for.</summary>
    public async Task<(string FileName, byte[] Bytes)?> ExportAsync(int runId, int sampleId, Actor who, string through, CancellationToken ct = default)
    {
        var run = await access.OpenAsync(runId, who, through, ct);
        if (run is null) return null;
        Sample? sample;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            sample = await db.Samples.AsNoTracking().Include(s => s.Rows.OrderBy(r => r.RowNumber))
                .FirstOrDefaultAsync(s => s.Id == sampleId && s.RunId == runId, ct);
        if (sample is null) return null;
        var bytes = await WorkbookPackage.BytesAsync(path => SampleWorkbook.Write(path, sample, run), ct);
        var name = $"{run.FileStem}_sample-{sample.Id}.xlsx";
        await audit.RecordAsync(who, "sample.exported", $"run/{runId}",
            $"sample {sampleId} as {name} (sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})", ct);
        return (name, bytes);
    }

    /// <summary>The method in words, with what draws it again: "simple random, 25 rows, seed 42".</summary>
    public static string Describe(Sample s) => s.Method switch
    {
        SampleMethod.MonetaryUnit => Invariant($"monetary-unit on {s.AmountColumn}, {s.Size} selections, interval {s.Interval}, random start {s.RandomStart}, seed {s.Seed}"),
        SampleMethod.Stratified => Invariant($"stratified by {s.StratumColumn}, up to {s.Size} rows per stratum, seed {s.Seed}"),
        _ => Invariant($"simple random, {s.Size} rows, seed {s.Seed}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
