namespace SoxAuto.Core.Extract;

/// <summary>The extract's columns, in order: the header row's names with the engine's types.</summary>
public sealed class ExtractHeader(IReadOnlyList<ResultColumn> columns)
{
    public IReadOnlyList<ResultColumn> Columns { get; } = columns;

    public int Count => Columns.Count;

    /// <summary>The column's position, matching names case-insensitively as Athena does; -1 when the
    /// result has no such column.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    public ValueKind KindOf(int column) => AthenaTypes.KindOf(Columns[column].Type);
}
