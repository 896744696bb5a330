using System.Text;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Procedures.RollForward;

namespace SoxAuto.Tests.Core.Procedures;

/// <summary>The roll-forward's figures from two extracts: new and removed keys and the movement per account and
/// company, as an auditor computes them by hand; keys past one in-memory block are sorted on disk.</summary>
public sealed class RollForwardComparisonTests
{
    private static Func<CancellationToken, Task<Stream>> Extract(string csv) => _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    private static readonly RollForwardColumns GlColumns = new(["company", "entry_no"], "amount", "company", "account", null);

    [Fact]
    public async Task Movements_and_new_and_removed_keys_match_a_hand_computation_on_two_small_extracts()
    {
        // Prior:   A/1 13003 100.00; A/2 13004 50.00; B/1 13003 -20.00; B/2 13003 NULL
        // Current: A/1 13003 120.00; A/3 13004 30.50; B/1 13003 -20.00; B/2 13003 5.00; C/1 13009 7.25
        // Keys: new A/3 (row 2) and C/1 (row 5); removed A/2 (row 2). A/1, B/1 and B/2 are in both.
        // 13003: prior 100 - 20 = 80.00, current 120 - 20 + 5 = 105.00, change 25.00
        // 13004: 50.00 -> 30.50, change -19.50;  13009: 0 -> 7.25, change 7.25
        // Company A: 150.00 -> 150.50 (0.50); B: -20.00 -> -15.00 (5.00); C: 0 -> 7.25 (7.25)
        // All rows: 130.00 -> 142.75 (12.75)
        const string prior = "\"company\",\"entry_no\",\"account\",\"amount\"\n\"A\",\"1\",\"13003\",\"100.00\"\n\"A\",\"2\",\"13004\",\"50.00\"\n"
            + "\"B\",\"1\",\"13003\",\"-20.00\"\n\"B\",\"2\",\"13003\",\n";
        const string current = "\"company\",\"entry_no\",\"account\",\"amount\"\n\"A\",\"1\",\"13003\",\"120.00\"\n\"A\",\"3\",\"13004\",\"30.50\"\n"
            + "\"B\",\"1\",\"13003\",\"-20.00\"\n\"B\",\"2\",\"13003\",\"5.00\"\n\"C\",\"1\",\"13009\",\"7.25\"\n";

        var f = await RollForwardComparison.CompareAsync(Extract(prior), Extract(current), GlColumns, default);

        Assert.True(f.KeysCompared);
        Assert.Equal((5L, 4L, 2L, 1L), (f.Rows, f.PriorRows, f.NewKeys, f.RemovedKeys));
        Assert.Equal([new KeyChange(KeyChangeKind.New, "A / 3", 2, "30.50"), new KeyChange(KeyChangeKind.New, "C / 1", 5, "7.25"),
            new KeyChange(KeyChangeKind.Removed, "A / 2", 2, "50.00")], f.Keys);
        Assert.Equal([new Movement("13003", "80.00", "105.00", "25.00"), new Movement("13004", "50.00", "30.50", "-19.50"),
            new Movement("13009", "0.00", "7.25", "7.25")], f.ByAccount);
        Assert.Equal([new Movement("A", "150.00", "150.50", "0.50"), new Movement("B", "-20.00", "-15.00", "5.00"),
            new Movement("C", "0.00", "7.25", "7.25")], f.ByCompany);
        Assert.Equal(new Movement("All rows", "130.00", "142.75", "12.75"), f.Total);
        Assert.Empty(f.Notes);
    }

    [Fact]
    public async Task Keys_beyond_one_block_in_memory_are_sorted_on_disk_and_every_new_and_removed_key_is_counted()
    {
        // Prior keys 1..300,000 (three blocks); current keys 1,001..301,000 with every 7th left out, in reverse order.
        var n = 2 * SortedKeys.BlockEntries + 36_856;
        var prior = new StringBuilder("\"company\",\"entry_no\",\"account\",\"amount\"\n");
        for (var i = 1; i <= n; i++) prior.Append($"\"A\",\"{i}\",\"13003\",\"1.00\"\n");
        var current = new StringBuilder("\"company\",\"entry_no\",\"account\",\"amount\"\n");
        long kept = 0, newKeys = 0;
        for (var i = n + 1_000; i > 1_000; i--)
        {
            if (i % 7 == 0) continue;
            current.Append($"\"A\",\"{i}\",\"13003\",\"1.00\"\n");
            kept++;
            if (i > n) newKeys++;
        }
        // Removed: 1..1,000 and the multiples of 7 in 1,001..n.
        var removed = 1_000 + (n / 7 - 1_000 / 7);

        var f = await RollForwardComparison.CompareAsync(Extract(prior.ToString()), Extract(current.ToString()), GlColumns, default);

        Assert.Equal((newKeys, (long)removed), (f.NewKeys, f.RemovedKeys));
        Assert.Equal(RollForwardComparison.Listed, f.Keys.Count(k => k.Change == KeyChangeKind.Removed));
        // The removed keys listed are the first in the prior extract's order: 1, 2, 3, ...
        Assert.Equal(Enumerable.Range(1, RollForwardComparison.Listed).Select(i => $"A / {i}"),
            f.Keys.Where(k => k.Change == KeyChangeKind.Removed).Select(k => k.Key));
        Assert.Equal(new Movement("All rows", $"{n}.00", $"{kept}.00", $"{kept - n}.00"), f.Total);
    }

    [Fact]
    public async Task A_key_column_missing_from_one_extract_is_said_and_the_movements_are_still_computed()
    {
        const string prior = "\"company\",\"account\",\"amount\"\n\"A\",\"13003\",\"1.00\"\n";
        const string current = "\"company\",\"entry_no\",\"account\",\"amount\"\n\"A\",\"1\",\"13003\",\"3.00\"\n";

        var f = await RollForwardComparison.CompareAsync(Extract(prior), Extract(current), GlColumns, default);

        Assert.False(f.KeysCompared);
        Assert.Contains("Keys are not compared: the prior period's extract has no column entry_no.", f.Notes);
        Assert.Equal(new Movement("13003", "1.00", "3.00", "2.00"), Assert.Single(f.ByAccount));
    }

    [Theory]
    [InlineData("2025-09", "2025-08")]
    [InlineData("2025-01", "2024-12")]
    [InlineData("2025-Q1", "2024-Q4")]
    [InlineData("2025-Q3", "2025-Q2")]
    [InlineData("2025", "2024")]
    public void The_prior_period_is_the_one_before_of_the_same_kind(string period, string prior) =>
        Assert.Equal(prior, Period.Parse(period, new DateOnly(2026, 6, 1)).Prior!.Text);

    [Fact]
    public void A_custom_cutoff_has_no_prior_period() => Assert.Null(Period.Parse("2025-09-15", new DateOnly(2026, 6, 1)).Prior);
}
