namespace SoxAuto.Core.Procedures.Sampling;

/// <summary>Simple random (<see cref="Random"/>), monetary-unit (<see cref="MonetaryUnit"/>) or simple random
/// within each stratum, e.g. each company (<see cref="Stratified"/>).</summary>
public enum SampleMethod { Random, MonetaryUnit, Stratified }

/// <summary>A sample drawn from a run's stored extract, for tests of details: how it was drawn (enough to draw
/// it again and get the same rows) and the rows drawn.</summary>
public sealed class Sample
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public SampleMethod Method { get; set; }
    /// <summary>Rows asked for; per stratum for <see cref="SampleMethod.Stratified"/>; selections for monetary-unit sampling.</summary>
    public int Size { get; set; }
    public long Seed { get; set; }
    /// <summary>Monetary-unit sampling: the amount column whose units are sampled.</summary>
    public string? AmountColumn { get; set; }
    /// <summary>Stratified: the column whose values are the strata.</summary>
    public string? StratumColumn { get; set; }
    public long PopulationRows { get; set; }
    /// <summary>Monetary-unit sampling: the sum of the positive amounts (the population of units), exact text.</summary>
    public string? PopulationAmount { get; set; }
    /// <summary>Monetary-unit sampling: the sampling interval (population amount / size) and the random start in [0, interval).</summary>
    public string? Interval { get; set; }
    public string? RandomStart { get; set; }
    /// <summary>The SHA-256 of the extract drawn from (the run's, checked before drawing).</summary>
    public required string ExtractSha256 { get; set; }
    /// <summary>The extract's column names, as JSON; each row's values are in the same order.</summary>
    public required string ColumnsJson { get; set; }
    public required string DrawnBy { get; set; }
    public DateTimeOffset DrawnAt { get; set; }
    public List<SampledRow> Rows { get; set; } = [];
}

/// <summary>One row drawn: its row number in the extract (data rows from 1), its stratum, for monetary-unit
/// sampling the selected units that fell in it, and its values.</summary>
public sealed class SampledRow
{
    public int Id { get; set; }
    public int SampleId { get; set; }
    public long RowNumber { get; set; }
    public string? Stratum { get; set; }
    /// <summary>Monetary-unit sampling: the positions of the selected units within the cumulative amount, e.g. "120.00; 370.00".</summary>
    public string? Units { get; set; }
    /// <summary>The row's values as JSON text (null for SQL NULL).</summary>
    public required string ValuesJson { get; set; }
}

/// <summary>What to draw. <paramref name="RandomStart"/> (monetary-unit only) fixes the random start instead of drawing it from the seed.</summary>
public sealed record SampleSpec(SampleMethod Method, int Size, long Seed, string? AmountColumn = null, string? StratumColumn = null, decimal? RandomStart = null)
{
    public const int MaxSize = 10_000;
}
