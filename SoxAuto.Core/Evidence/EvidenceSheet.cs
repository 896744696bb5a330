namespace SoxAuto.Core.Evidence;

/// <summary>What the pass measured of a run's extract, for a sheet written after it.</summary>
/// <param name="StoredPath">The extract as stored by the pass (complete and on disk, not yet renamed into place).</param>
public sealed record MeasuredExtract(long Rows, string Sha256, long Bytes, IReadOnlyList<ColumnProfile> Columns, string StoredPath);

/// <summary>A sheet's rows of text under a bold header.</summary>
public sealed record SheetContent(IReadOnlyList<string> Header, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// A sheet that a procedure adds to a run's workbook, after the Columns sheet (a reperformance's
/// comparison with the original run). It is written from what the pass measured, before the workbook is
/// finished, so that it is part of the evidence the workbook's SHA-256 covers.
/// </summary>
public interface IEvidenceSheet
{
    string Name { get; }

    Task<SheetContent> WriteAsync(MeasuredExtract extract, CancellationToken ct);
}
