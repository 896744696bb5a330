using System.Text;
using SoxAuto.Core.Extract;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>The row count and amount totals of one group of the extract, in exact decimals.</summary>
internal sealed class GroupFigures(int amounts)
{
    public long Rows;
    public ExactSum[] Totals { get; } = Enumerable.Range(0, amounts).Select(_ => new ExactSum()).ToArray();

    public void Add(GroupFigures other)
    {
        Rows += other.Rows;
        for (var i = 0; i < Totals.Length; i++) Totals[i].Add(other.Totals[i].Value);
    }
}

/// <summary>
/// The evidence pass's side of completeness and accuracy: the extract's rows and the totals of its
/// amount columns, overall and per group of the IPE's company and G/L account columns (where it has
/// them), in exact decimal arithmetic. A control query may group by those columns or fewer; its groups
/// are compared with these rolled up. Groups are companies x accounts, so few; past
/// <see cref="MaxGroups"/> the figures stop being kept per group (memory stays flat) and say so.
/// </summary>
internal sealed class ExtractGroups(IReadOnlyList<string> groupColumns, IReadOnlyList<string> amountColumns) : IExtractObserver
{
    public const int MaxGroups = 10_000;

    private readonly Dictionary<string, GroupFigures> _groups = new(StringComparer.Ordinal);
    private readonly RowKey _key = new();
    private Dictionary<string, GroupFigures>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int[] _groupIndex = [];
    private int[] _amountIndex = [];
    private readonly string?[] _unreadable = new string?[amountColumns.Count];

    public IReadOnlyList<string> AmountColumns => amountColumns;

    /// <summary>The group columns found in the extract, in the order the settings name them.</summary>
    public IReadOnlyList<string> GroupColumns { get; private set; } = [];

    public GroupFigures Overall { get; } = new(amountColumns.Count);

    public IReadOnlyDictionary<string, GroupFigures> Groups => _groups;

    public bool TooManyGroups { get; private set; }

    /// <summary>Why the figures stopped being fed (they are then incomplete), or null.</summary>
    public string? Broke { get; set; }

    /// <summary>Whether the amount column is in the extract.</summary>
    public bool HasAmount(int amount) => _amountIndex[amount] >= 0;

    /// <summary>The first value of the amount column that is not a number, or null.</summary>
    public string? Unreadable(int amount) => _unreadable[amount];

    public void Begin(ExtractHeader header)
    {
        var present = groupColumns.Select(c => (Name: c, Index: header.IndexOf(c))).Where(c => c.Index >= 0).ToList();
        GroupColumns = present.Select(c => c.Name).ToList();
        _groupIndex = present.Select(c => c.Index).ToArray();
        _amountIndex = amountColumns.Select(header.IndexOf).ToArray();
        _lookup = _groups.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public void Row(IExtractRow row)
    {
        Overall.Rows++;
        var group = TooManyGroups ? null : GroupOf(row);
        if (group is not null) group.Rows++;
        for (var i = 0; i < _amountIndex.Length; i++)
        {
            var column = _amountIndex[i];
            if (column < 0 || row.IsNull(column)) continue; // SUM leaves NULL out, and so do these totals
            if (!row.TryNumber(column, out var value))
            {
                _unreadable[i] ??= $"data row {Count(Overall.Rows)} holds \"{Shown(Encoding.UTF8.GetString(row.Value(column)))}\", which is not a number";
                continue;
            }
            Overall.Totals[i].Add(value);
            group?.Totals[i].Add(value);
        }
    }

    private GroupFigures? GroupOf(IExtractRow row)
    {
        var key = _key.Of(row, _groupIndex);
        if (_lookup.TryGetValue(key, out var group)) return group;
        if (_groups.Count == MaxGroups)
        {
            TooManyGroups = true;
            _groups.Clear();
            return null;
        }
        group = new GroupFigures(amountColumns.Count);
        _lookup[key] = group;
        return group;
    }
}
