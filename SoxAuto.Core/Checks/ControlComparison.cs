using System.Globalization;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Checks;

/// <summary>
/// One control query's answer set against the extract's figures (<see cref="ExtractGroups"/>): per group
/// of the query (its leading columns, named like extract columns), the control's row count and totals and
/// the extract's, rolled up to the same groups. A group missing on one side counts as zero rows and zero
/// totals. The completeness check and the accuracy checks of the query read the same comparison, made once.
/// </summary>
internal sealed class ControlComparison(ControlTotalQuery query, ExtractGroups extract, IControlQueries controls)
{
    public const string RowCountColumn = "row_count";

    private Task<Compared>? _compared;

    public ControlTotalQuery Query => query;

    public ExtractGroups Extract => extract;

    public Task<Compared> ComparedAsync(CancellationToken ct) => _compared ??= CompareAsync(ct);

    private async Task<Compared> CompareAsync(CancellationToken ct)
    {
        var answer = await controls.AnswerAsync(query, ct);
        if (answer.Error is not null)
            return Fail(answer, $"The control query did not give an answer: {answer.Error}");
        var names = answer.Columns.Select(c => c.Name).ToList();
        var count = names.FindIndex(n => n.Equals(RowCountColumn, StringComparison.OrdinalIgnoreCase));
        if (count < 0)
            return Fail(answer, $"The control query returns no {RowCountColumn} column (its columns: {string.Join(", ", names)}).");
        var groupBy = names.Take(count).ToList();
        var projection = new int[groupBy.Count];
        for (var i = 0; i < groupBy.Count; i++)
        {
            projection[i] = extract.GroupColumns.ToList().FindIndex(g => g.Equals(groupBy[i], StringComparison.OrdinalIgnoreCase));
            if (projection[i] < 0)
                return Fail(answer, $"The control query groups by {groupBy[i]}, which is not the IPE's company or G/L account column in the extract "
                    + $"({(extract.GroupColumns.Count == 0 ? "it has neither" : string.Join(", ", extract.GroupColumns))}), so its groups cannot be compared.");
        }
        if (groupBy.Count > 0 && extract.TooManyGroups)
            return Fail(answer, $"The extract has more than {CheckFigures.Count(ExtractGroups.MaxGroups)} groups of {string.Join(", ", extract.GroupColumns)}, too many to compare group by group.");

        var totalsAt = extract.AmountColumns.Select(a => names.FindIndex(count + 1, n => n.Equals(a, StringComparison.OrdinalIgnoreCase))).ToArray();
        var control = new Dictionary<string, Figures>(StringComparer.Ordinal);
        for (var r = 0; r < answer.Rows.Count; r++)
        {
            var row = answer.Rows[r];
            if (!long.TryParse(row[count] ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rows))
                return Fail(answer, $"Row {r + 1} of the control query's answer has {RowCountColumn} \"{row[count]}\", which is not a whole number.");
            var totals = new ExactNumber?[totalsAt.Length];
            for (var a = 0; a < totalsAt.Length; a++)
            {
                if (totalsAt[a] < 0) continue;
                var text = row[totalsAt[a]];
                if (text is null) totals[a] = ExactNumber.Zero; // SUM over no values is NULL: nothing to add
                else if (ExactNumber.TryParse(System.Text.Encoding.UTF8.GetBytes(text), allowExponent: true, out var n, out _)) totals[a] = n;
                else return Fail(answer, $"Row {r + 1} of the control query's answer has {names[totalsAt[a]]} \"{text}\", which is not a number.");
            }
            Figures.Of(control, RowKey.Of(row.Take(count)), totalsAt.Length).Add(rows, totals);
        }
        var rolledUp = new Dictionary<string, Figures>(StringComparer.Ordinal);
        // Past the group limit only the overall figures are kept; the query then has no groups (checked above).
        var groups = extract.TooManyGroups ? new Dictionary<string, GroupFigures> { [""] = extract.Overall } : extract.Groups;
        foreach (var (key, figures) in groups)
        {
            var parts = key.Split(RowKey.Separator);
            Figures.Of(rolledUp, string.Join(RowKey.Separator, projection.Select(p => parts[p])), totalsAt.Length)
                .Add(figures.Rows, figures.Totals.Select(t => (ExactNumber?)t.Value).ToArray());
        }
        return new(answer, null, groupBy, control, rolledUp) { TotalsFound = totalsAt.Select(t => t >= 0).ToArray() };
    }

    private static Compared Fail(ControlAnswer answer, string error) =>
        new(answer, error, [], new Dictionary<string, Figures>(), new Dictionary<string, Figures>());

    /// <summary>The comparison, or why it could not be made (<see cref="Error"/>).</summary>
    internal sealed record Compared(ControlAnswer Answer, string? Error, IReadOnlyList<string> GroupBy,
        IReadOnlyDictionary<string, Figures> Control, IReadOnlyDictionary<string, Figures> Extract)
    {
        /// <summary>Per amount column: does the control query return its total?</summary>
        public bool[] TotalsFound { get; init; } = [];

        /// <summary>Every group on either side, in order.</summary>
        public IEnumerable<string> Keys => Control.Keys.Union(Extract.Keys).Order(StringComparer.Ordinal);
    }

    /// <summary>A group's row count and totals (a missing total is zero).</summary>
    internal sealed class Figures(int amounts)
    {
        public static readonly Figures None = new(0);

        public long Rows { get; private set; }
        private readonly ExactSum[] _totals = Enumerable.Range(0, amounts).Select(_ => new ExactSum()).ToArray();

        public ExactNumber Total(int amount) => amount < _totals.Length ? _totals[amount].Value : ExactNumber.Zero;

        public void Add(long rows, ExactNumber?[] totals)
        {
            Rows += rows;
            for (var i = 0; i < totals.Length; i++)
                if (totals[i] is { } t) _totals[i].Add(t);
        }

        public static Figures Of(Dictionary<string, Figures> groups, string key, int amounts)
        {
            if (!groups.TryGetValue(key, out var figures)) groups[key] = figures = new Figures(amounts);
            return figures;
        }
    }
}
