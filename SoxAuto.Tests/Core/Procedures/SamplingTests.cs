using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Procedures.Sampling;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Procedures;

/// <summary>Samples drawn by streaming over an extract: reproducible from the seed, monetary-unit selection as
/// an auditor computes it by hand, and stored, exported and audited with the run.</summary>
public sealed class SamplingTests
{
    private static Func<CancellationToken, Task<Stream>> Extract(string csv) => _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    /// <summary>Rows 1..n with a company of five and an amount.</summary>
    private static Func<CancellationToken, Task<Stream>> Orders(int n)
    {
        var csv = new StringBuilder("\"order_id\",\"company\",\"amount\"\n");
        for (var i = 1; i <= n; i++) csv.Append($"\"{i}\",\"C{i % 5}\",\"{i % 97}.50\"\n");
        return Extract(csv.ToString());
    }

    [Fact]
    public async Task Monetary_unit_selection_matches_a_hand_computation_on_a_small_extract()
    {
        // Positive amounts 100, 50, 300, 25, 525 (total 1,000); a NULL, a zero and a negative amount hold no units.
        // Four selections: interval 1,000 / 4 = 250; with the random start 120 the units are 120, 370, 620 and 870.
        // Running totals: row 1 [0, 100), row 3 [100, 150), row 4 [150, 450), row 6 [450, 475), row 8 [475, 1000).
        // 120 falls in row 3, 370 in row 4, 620 and 870 in row 8.
        var csv = "\"id\",\"amount\"\n\"a\",\"100.00\"\n\"b\",\n\"c\",\"50.00\"\n\"d\",\"300.00\"\n\"e\",\"0.00\"\n\"f\",\"25.00\"\n\"g\",\"-40.00\"\n\"h\",\"525.00\"\n";

        var drawn = await SampleDraw.DrawAsync(Extract(csv), new SampleSpec(SampleMethod.MonetaryUnit, 4, 1, "amount", RandomStart: 120m), default);

        Assert.Equal((1000m, 250m, 120m, 8L), (drawn.PopulationAmount, drawn.Interval, drawn.RandomStart, drawn.PopulationRows));
        Assert.Equal([(3L, "120.00"), (4L, "370.00"), (8L, "620.00; 870.00")], drawn.Rows.Select(r => (r.RowNumber, r.Units)));
        Assert.Equal(["h", "525.00"], JsonSerializer.Deserialize<string[]>(drawn.Rows[2].ValuesJson)!);
    }

    [Fact]
    public async Task Monetary_unit_sampling_draws_its_random_start_from_the_seed_within_the_interval()
    {
        var spec = new SampleSpec(SampleMethod.MonetaryUnit, 20, 42, "amount");
        var first = await SampleDraw.DrawAsync(Orders(5_000), spec, default);
        var again = await SampleDraw.DrawAsync(Orders(5_000), spec, default);

        Assert.InRange(first.RandomStart!.Value, 0m, first.Interval!.Value);
        Assert.NotEqual(first.Interval, first.RandomStart);
        Assert.Equal(first.RandomStart, again.RandomStart);
        Assert.Equal(20, first.Rows.Sum(r => r.Units!.Split("; ").Length));
        Assert.Equal(first.Rows.Select(r => r.RowNumber), again.Rows.Select(r => r.RowNumber));
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_rows_and_another_seed_other_rows()
    {
        var spec = new SampleSpec(SampleMethod.Random, 25, 42);
        var first = await SampleDraw.DrawAsync(Orders(10_000), spec, default);
        var again = await SampleDraw.DrawAsync(Orders(10_000), spec, default);
        var other = await SampleDraw.DrawAsync(Orders(10_000), spec with { Seed = 43 }, default);

        Assert.Equal(25, first.Rows.Select(r => r.RowNumber).Distinct().Count());
        Assert.Equal(first.Rows.Select(r => (r.RowNumber, r.ValuesJson)), again.Rows.Select(r => (r.RowNumber, r.ValuesJson)));
        Assert.NotEqual(first.Rows.Select(r => r.RowNumber), other.Rows.Select(r => r.RowNumber));
        // Spread over the extract, not its first rows.
        Assert.True(first.Rows.Max(r => r.RowNumber) > 5_000);
    }

    [Fact]
    public async Task A_stratified_sample_draws_up_to_its_size_from_every_stratum_and_all_of_a_small_one()
    {
        var csv = new StringBuilder("\"order_id\",\"company\"\n");
        for (var i = 1; i <= 1_000; i++) csv.Append($"\"{i}\",\"{(i == 500 ? "TINY" : i % 2 == 0 ? "EVEN" : "ODD")}\"\n");

        var drawn = await SampleDraw.DrawAsync(Extract(csv.ToString()), new SampleSpec(SampleMethod.Stratified, 10, 7, StratumColumn: "company"), default);

        Assert.Equal(new Dictionary<string, int> { ["EVEN"] = 10, ["ODD"] = 10, ["TINY"] = 1 },
            drawn.Rows.GroupBy(r => r.Stratum!).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(drawn.Rows, r => Assert.Equal(r.Stratum, JsonSerializer.Deserialize<string[]>(r.ValuesJson)![1]));
    }

    [Fact]
    public async Task A_sample_of_a_run_is_stored_with_it_exported_as_a_workbook_and_audited_and_a_missing_column_is_refused()
    {
        var ada = new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
        await using var app = await CoreHost.StartAsync();
        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, ada)).Id);
        var samples = app.Get<Samples>();

        var sample = await samples.DrawAsync(run.Id, new SampleSpec(SampleMethod.Random, 25, 42), ada);
        var again = await samples.DrawAsync(run.Id, new SampleSpec(SampleMethod.Random, 25, 42), ada);

        Assert.Equal(sample.Rows.Select(r => r.RowNumber), again.Rows.Select(r => r.RowNumber));
        var stored = Assert.Single(await samples.OfAsync(run.Id, ada), s => s.Id == sample.Id);
        Assert.Equal((25, 42L, run.ExtractSha256, run.RowCount), (stored.Rows.Count, stored.Seed, stored.ExtractSha256, (long?)stored.PopulationRows));
        Assert.Empty(await samples.OfAsync(run.Id, new Actor("Bob Auditor", "test") { Subject = TestPeople.SubjectOf("Bob Auditor") }));

        var workbook = (await samples.ExportAsync(run.Id, sample.Id, ada, "test"))!.Value;
        Assert.Equal($"{run.FileStem}_sample-{sample.Id}.xlsx", workbook.FileName);
        using (var book = new WorkbookReadBack(new MemoryStream(workbook.Bytes)))
        {
            Assert.Equal(["Method", "Sample"], book.SheetNames);
            Assert.Equal("simple random, 25 rows, seed 42", WorkbookReadBack.Text(book.Cell("Method", "B4")));
            Assert.Equal(("Row in extract", "company"), (WorkbookReadBack.Text(book.Cell("Sample", "A1")), WorkbookReadBack.Text(book.Cell("Sample", "B1"))));
            Assert.Equal(stored.Rows[0].RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), WorkbookReadBack.Text(book.Cell("Sample", "A2")));
            Assert.Equal(26, book.Rows("Sample").Length);
        }
        Assert.NotNull(await samples.ExportAsync(run.Id, sample.Id, ada, "test"));

        var refused = await Assert.ThrowsAsync<SampleException>(() => samples.DrawAsync(run.Id, new SampleSpec(SampleMethod.MonetaryUnit, 10, 1, "amount"), ada));
        Assert.StartsWith("The extract has no column amount", refused.Message);

        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entries = await db.AuditTrail.Where(a => a.Subject == $"run/{run.Id}" && a.Action.StartsWith("sample.")).ToListAsync();
        Assert.Equal(["sample.drawn", "sample.drawn", "sample.exported", "sample.exported"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(ada.Subject, e.WhoSubject)); // the person, not only their name
    }

    [Fact]
    public async Task A_sample_is_not_drawn_from_an_extract_altered_since_its_run()
    {
        var ada = new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
        await using var app = await CoreHost.StartAsync();
        var run = await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, ada)).Id);
        await File.AppendAllTextAsync(app.Get<DataFolder>().Absolute(run.ExtractPath!), "\"x\"\n");

        var refused = await Assert.ThrowsAsync<SampleException>(() => app.Get<Samples>().DrawAsync(run.Id, new SampleSpec(SampleMethod.Random, 5, 1), ada));

        Assert.Contains("no longer matches its record", refused.Message);
    }
}
