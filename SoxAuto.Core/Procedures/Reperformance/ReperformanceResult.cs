namespace SoxAuto.Core.Procedures.Reperformance;

/// <summary>What a reperformance found when it compared its extract with the original run's: stored on the
/// reperformance run (as JSON), shown on its page and in its workbook's Reperformance sheet.</summary>
/// <param name="Match">The reperformed extract has the original's SHA-256: byte for byte the same data.</param>
/// <param name="DataBasis">Which data the reperformance read, in words (the tables now, or as of a time).</param>
/// <param name="ComparedBy">The key columns rows were matched by, or whole rows where the IPE declares none.</param>
/// <param name="Differences">The first <see cref="ExtractDifferences.Listed"/> rows of each kind, with their values.</param>
/// <param name="Note">Why the extracts differ when no row, total or count does (the same rows in another order).</param>
public sealed record ReperformanceResult(
    int OriginalRunId,
    bool Match,
    string DataBasis,
    FigurePair RowCount,
    FigurePair Sha256,
    IReadOnlyList<TotalComparison> Totals,
    string ComparedBy,
    long AddedRows,
    long RemovedRows,
    long ChangedRows,
    IReadOnlyList<RowDifference> Differences,
    string? Note);

public sealed record FigurePair(string Original, string Reperformed)
{
    public bool Same => Original == Reperformed;
}

/// <summary>A column's sum (a control total) in both extracts, exact; <see cref="Difference"/> is reperformed less original.</summary>
public sealed record TotalComparison(string Column, string? Original, string? Reperformed, string? Difference)
{
    public bool Same => Original == Reperformed;
}

public enum RowChange { Added, Removed, Changed }

/// <summary>One row that differs: added (only in the reperformance), removed (only in the original), or
/// changed (same key, other values). Row numbers count data rows of each extract from 1.</summary>
public sealed record RowDifference(RowChange Change, string Key, long? OriginalRow, long? ReperformedRow, string Detail);
