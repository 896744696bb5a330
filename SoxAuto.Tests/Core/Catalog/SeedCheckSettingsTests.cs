using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>The seed IPEs' completeness and accuracy settings hold on the demo lake for 2025-09: each control
/// query, run on the engine, gives exactly the row counts and totals of the IPE's extract (added up here in
/// decimals), and each witness record is present or absent as it says.</summary>
public class SeedCheckSettingsTests : IClassFixture<DemoLakeFixture>, IDisposable
{
    private static readonly Period September = SeedRunner.Month("2025-09");
    private readonly SeedRunner _seed = new();

    public void Dispose() => _seed.Dispose();

    public static TheoryData<string> Ids => new(SeedCatalog.All.Select(i => i.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_control_query_gives_the_extracts_row_count_and_totals_per_group(string id)
    {
        var ipe = SeedRunner.Ipe(id);
        var control = await _seed.ResultAsync(id, September, sql: Assert.Single(ipe.Checks.ControlTotalQueries).Sql);
        var extract = await _seed.ResultAsync(id, September);

        // The control query's shape: grouping columns named like extract columns, row_count, then the amount columns.
        var columns = SeedRunner.Columns(control);
        var amounts = ipe.Checks.AmountColumns.ToArray();
        var groups = columns.Take(columns.Count - amounts.Length - 1).ToArray();
        Assert.Equal(["row_count", .. amounts], columns.Skip(groups.Length));
        Assert.All(groups, g => Assert.Contains(g, SeedRunner.Columns(extract)));

        var expected = Figures(SeedRunner.Rows(extract, [.. groups, .. amounts]), groups.Length, counted: false);
        var reported = Figures(SeedRunner.Rows(control, [.. groups, "row_count", .. amounts]), groups.Length, counted: true);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), reported.Keys.Order(StringComparer.Ordinal));
        foreach (var (group, figures) in expected)
            Assert.True(figures.SequenceEqual(reported[group]),
                $"{id} {group}: extract {string.Join(" / ", figures)}, control query {string.Join(" / ", reported[group])}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Each_witness_record_is_present_or_absent_in_the_2025_09_extract_as_it_says(string id)
    {
        var ipe = SeedRunner.Ipe(id);
        var keys = ipe.Checks.KeyColumns.ToArray();
        var extract = await _seed.ResultAsync(id, September);
        var present = SeedRunner.Rows(extract, keys).Select(r => string.Join("|", r)).ToHashSet(StringComparer.Ordinal);

        Assert.All(ipe.Checks.WitnessRecords, w =>
        {
            Assert.True(w.Period is null or "2025-09", w.Description);
            Assert.True(present.Contains(string.Join("|", keys.Select(k => w.Key[k]))) == w.MustBePresent,
                $"{id}: {(w.MustBePresent ? "missing" : "unexpected")} witness {w.Description}");
        });
    }

    /// <summary>Per group (the first <paramref name="groupColumns"/> values): the row count and each amount's total,
    /// in exact decimals. From extract rows (<paramref name="counted"/> false) or a control query's own count.
    /// Groups with no rows and zero totals are left out: absent and empty are the same.</summary>
    private static Dictionary<string, decimal[]> Figures(IEnumerable<string?[]> rows, int groupColumns, bool counted)
    {
        var figures = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var group = string.Join("|", row.Take(groupColumns));
            var values = row.Skip(groupColumns).Select(v => v is null ? 0m : SeedRunner.Number(v)).ToArray();
            if (!counted) values = [1m, .. values];
            figures[group] = figures.TryGetValue(group, out var sum) ? [.. sum.Zip(values, (a, b) => a + b)] : values;
        }
        return figures.Where(f => f.Value.Any(v => v != 0)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
    }
}
