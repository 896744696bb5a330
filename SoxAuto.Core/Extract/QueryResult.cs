namespace SoxAuto.Core.Extract;

/// <summary>A result column; <see cref="Type"/> uses Athena's type names (varchar, bigint, integer,
/// double, decimal(18,2), date, timestamp, boolean).</summary>
public sealed record ResultColumn(string Name, string Type);

/// <summary>A query's result as an engine delivers it: its columns, and its bytes in Athena's CSV
/// dialect exactly as the engine wrote them. <see cref="Source"/> says where the bytes come from (for
/// the evidence).</summary>
public sealed class QueryResult(IReadOnlyList<ResultColumn> columns, Stream csv, string source) : IAsyncDisposable
{
    public IReadOnlyList<ResultColumn> Columns { get; } = columns;
    public Stream Csv { get; } = csv;
    public string Source { get; } = source;
    public ValueTask DisposeAsync() => Csv.DisposeAsync();
}

/// <summary>The first rows of a result as text (null for NULL), and whether more rows existed: what a
/// trial of an IPE shows. Nothing of it is evidence.</summary>
public sealed record ResultSample(IReadOnlyList<ResultColumn> Columns, IReadOnlyList<string?[]> Rows, bool Truncated);
