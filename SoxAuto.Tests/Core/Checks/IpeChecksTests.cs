using System.Globalization;
using System.Numerics;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;
using static SoxAuto.Tests.Core.Checks.IpeCheckTestKit;

namespace SoxAuto.Tests.Core.Checks;

/// <summary>Each check of a run passes on good data and fails on data built to break it; what did not
/// complete is never Passed.</summary>
public class IpeChecksTests
{
    private const string Duplicates = "No duplicate keys", Witnesses = "Witness records present or absent", Companies = "Only the selected companies";

    [Fact]
    public async Task Every_check_passes_on_good_data_and_records_what_an_auditor_reperforms()
    {
        var outcomes = await RunAsync(GoodAnswer(), GoodRows());

        Assert.All(outcomes.Values, o => Assert.True(o.Status == CheckStatus.Passed, $"{o.Name}: {o.Status} {o.Actual} {o.Detail}"));
        var completeness = outcomes[Completeness];
        Assert.Equal(("3 rows (the control query's row_count)", "3 rows in the extract"), (completeness.Expected, completeness.Actual));
        Assert.Equal((ControlSql, "exec-42", TimeSpan.FromMilliseconds(12)), (completeness.Rule, completeness.ExecutionId, completeness.Duration));
        Assert.Contains("each of the 3 groups of company_code, gl_account_no", completeness.Detail);
        Assert.Equal(("14.25", "14.25", ControlSql), (outcomes[Accuracy].Expected, outcomes[Accuracy].Actual, outcomes[Accuracy].Rule));
        Assert.Equal("no two rows with the same (entry_no)", outcomes[Duplicates].Rule);
        Assert.Equal("company_code IN ('EC_NG', 'JD_GH')", outcomes[Companies].Rule);
        Assert.Contains("present: a row with entry_no = '1'", outcomes[Witnesses].Rule);
    }

    [Fact]
    public async Task Completeness_fails_on_a_dropped_row_and_names_the_group_it_is_missing_from()
    {
        var outcomes = await RunAsync(GoodAnswer(), GoodRows().Take(2));

        var completeness = outcomes[Completeness];
        Assert.Equal(CheckStatus.Failed, completeness.Status);
        Assert.Equal("2 rows in the extract", completeness.Actual);
        Assert.Contains("1 of 3 groups of company_code, gl_account_no differ: JD_GH / 13003: control 1, extract 0", completeness.Detail);
        Assert.Equal(CheckStatus.Failed, outcomes[Accuracy].Status);
    }

    [Fact]
    public async Task Completeness_fails_when_rows_move_between_groups_even_if_the_overall_count_agrees()
    {
        var rows = GoodRows();
        rows[2] = new("3", "EC_NG", "13003", "2025-09-30", "-1.25");

        var completeness = (await RunAsync(GoodAnswer(), rows))[Completeness];

        Assert.Equal(CheckStatus.Failed, completeness.Status);
        Assert.Contains("EC_NG / 13003: control 1, extract 2", completeness.Detail);
    }

    [Fact]
    public async Task Accuracy_fails_on_an_amount_changed_by_one_cent_and_says_where_and_by_how_much()
    {
        var rows = GoodRows();
        rows[1] = new("2", "EC_NG", "13004", "2025-09-15", "5.51");

        var outcomes = await RunAsync(GoodAnswer(), rows);

        Assert.Equal(CheckStatus.Passed, outcomes[Completeness].Status);
        var accuracy = outcomes[Accuracy];
        Assert.Equal(CheckStatus.Failed, accuracy.Status);
        Assert.Equal(("14.25", "14.26"), (accuracy.Expected, accuracy.Actual));
        Assert.Contains("EC_NG / 13004: control 5.50, extract 5.51, difference -0.01", accuracy.Detail);
    }

    [Fact]
    public async Task A_control_query_that_errors_gives_Error_with_the_engines_message_never_Passed()
    {
        var failed = ControlAnswer.Failed(ControlSql, "exec-43", TimeSpan.FromSeconds(1), "Amazon Athena ended it Failed: TABLE_NOT_FOUND");

        var outcomes = await RunAsync(failed, GoodRows());

        foreach (var name in new[] { Completeness, Accuracy })
        {
            Assert.Equal(CheckStatus.Error, outcomes[name].Status);
            Assert.Contains("TABLE_NOT_FOUND", outcomes[name].Detail);
            Assert.Equal(("exec-43", ControlSql), (outcomes[name].ExecutionId, outcomes[name].Rule));
        }
    }

    [Fact]
    public async Task A_control_answer_without_the_amount_total_is_an_Error_of_the_accuracy_check()
    {
        var answer = GoodAnswer() with { Columns = GoodAnswer().Columns.Take(3).ToList(), Rows = GoodAnswer().Rows.Select(r => r[..3]).ToList() };

        var outcomes = await RunAsync(answer, GoodRows());

        Assert.Equal(CheckStatus.Passed, outcomes[Completeness].Status);
        Assert.Equal(CheckStatus.Error, outcomes[Accuracy].Status);
        Assert.Contains("no total named amount", outcomes[Accuracy].Detail);
    }

    [Fact]
    public async Task Without_a_control_query_or_an_engine_completeness_and_accuracy_are_Not_run_with_why()
    {
        var none = await RunAsync(GoodAnswer(), GoodRows(), IpeCheckTestKit.Settings with { ControlTotalQueries = [] });
        var noEngine = await RunAsync(IpeChecks.For(IpeCheckTestKit.Settings, September, Parameters, controls: null), GoodRows());

        Assert.Equal(CheckStatus.NotRun, none[Completeness].Status);
        Assert.Contains("declares no control query", none[Completeness].Detail);
        Assert.Equal(CheckStatus.NotRun, noEngine["Accuracy: amount totals = control totals"].Status);
        Assert.Contains("nothing here runs control queries", noEngine[Completeness].Detail);
    }

    [Fact]
    public async Task A_duplicate_key_fails_and_names_the_rows()
    {
        var rows = GoodRows().Append(new("2", "EC_NG", "13004", "2025-09-16", "0.00"));

        var duplicates = (await RunAsync(GoodAnswer(), rows))[Duplicates];

        Assert.Equal(CheckStatus.Failed, duplicates.Status);
        Assert.Equal("1 rows repeat the key of an earlier row (1 keys)", duplicates.Actual);
        Assert.Contains("data rows 2 and 4", duplicates.Detail);
    }

    [Fact]
    public async Task Duplicate_keys_far_apart_are_found_across_the_blocks_written_to_disk()
    {
        var rows = DuplicateKeysCheck.BlockEntries * 2 + 10;
        var check = new DuplicateKeysCheck(["entry_no", "company_code"]);
        var keys = Enumerable.Range(1, rows).Select(i => new TestRow(i == rows ? "7" : i.ToString(CultureInfo.InvariantCulture), "EC_NG"));

        var outcome = await CheckPass.RunAsync(check, ["entry_no", "company_code"], [.. keys]);
        var unique = await CheckPass.RunAsync(new DuplicateKeysCheck(["entry_no", "company_code"]), ["entry_no", "company_code"],
            [.. Enumerable.Range(1, rows).Select(i => new TestRow(i.ToString(CultureInfo.InvariantCulture), "EC_NG"))]);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"data rows 7 and {rows:N0}", outcome.Detail);
        Assert.Equal(CheckStatus.Passed, unique.Status);
    }

    [Fact]
    public async Task Duplicate_keys_across_more_blocks_than_the_merge_reads_at_once_are_all_found_in_bounded_memory()
    {
        // 40 blocks of 50 keys: more than FanIn, so the merge first joins blocks into longer runs.
        const int blockEntries = 50, rows = 2_000;
        var check = new DuplicateKeysCheck(["entry_no"], blockEntries);
        // Row r repeats the key of row r - 1,000 for every 97th row past 1,000: duplicates in blocks far apart.
        var keys = Enumerable.Range(1, rows).Select(r => new TestRow((r > 1_000 && r % 97 == 0 ? r - 1_000 : r).ToString(CultureInfo.InvariantCulture)));

        var outcome = await CheckPass.RunAsync(check, ["entry_no"], [.. keys]);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("10 rows repeat the key of an earlier row (10 keys)", outcome.Actual);
        Assert.Contains("data rows 67 and 1,067", outcome.Detail);
        Assert.Contains("data rows 940 and 1,940", outcome.Detail);
        Assert.InRange(check.MostSourcesMerged, 2, DuplicateKeysCheck.FanIn);
    }

    [Fact]
    public async Task A_NULL_key_value_is_a_value_and_keys_are_told_apart_by_their_column_boundaries()
    {
        var outcome = await CheckPass.RunAsync(new DuplicateKeysCheck(["a", "b"]), ["a", "b"],
            new TestRow("ab", "c"), new TestRow("a", "bc"), new TestRow(null, "x"), new TestRow("", "x"), new TestRow(null, "x"));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("data rows 3 and 5", outcome.Detail);
        Assert.StartsWith("1 rows", outcome.Actual);
    }

    [Fact]
    public async Task A_company_outside_the_selection_fails_and_so_does_a_NULL_company()
    {
        var rows = GoodRows().Append(new("4", "HF_SN", "13003", "2025-09-02", "1.00")).Append(new("5", null, "13003", "2025-09-02", "1.00"));

        var companies = (await RunAsync(GoodAnswer(), rows))[Companies];

        Assert.Equal(CheckStatus.Failed, companies.Status);
        Assert.Equal("2 rows outside the selection: HF_SN (1), NULL (1)", companies.Actual);
    }

    [Fact]
    public async Task A_missing_witness_record_fails_and_so_does_one_that_must_be_absent_but_is_there()
    {
        var missing = (await RunAsync(GoodAnswer(), GoodRows().Skip(1)))[Witnesses];
        var present = (await RunAsync(GoodAnswer(), GoodRows().Append(new("99", "EC_NG", "13003", "2025-09-02", "0.00"))))[Witnesses];

        Assert.Equal(CheckStatus.Failed, missing.Status);
        Assert.Contains("The first entry (entry_no 1 is missing)", missing.Detail);
        Assert.Equal(CheckStatus.Failed, present.Status);
        Assert.Contains("A reversed entry (entry_no 99 is in the extract)", present.Detail);
    }

    [Fact]
    public async Task Witness_records_chosen_for_another_period_are_Not_run_in_this_one()
    {
        var other = IpeCheckTestKit.Settings with { WitnessRecords = [.. IpeCheckTestKit.Settings.WitnessRecords.Select(w => w with { Period = "2025-08" })] };

        var witnesses = (await RunAsync(GoodAnswer(), GoodRows(), other))[Witnesses];

        Assert.Equal(CheckStatus.NotRun, witnesses.Status);
        Assert.Contains("none of the IPE's witness records is chosen for 2025-09", witnesses.Detail);
    }

    [Fact]
    public async Task A_NULL_and_a_date_outside_the_period_fail_their_checks()
    {
        var rows = GoodRows().Append(new("4", "EC_NG", "13003", "2025-10-01", null));

        var outcomes = await RunAsync(GoodAnswer(), rows);

        Assert.Equal(CheckStatus.Failed, outcomes["Required columns have no NULLs"].Status);
        Assert.Equal(CheckStatus.Failed, outcomes["Every posting_date inside the period"].Status);
    }

    [Fact]
    public async Task A_check_that_throws_is_an_Error_with_the_message_and_the_others_still_give_their_verdicts()
    {
        var outcomes = await RunAsync([new ThrowingCheck(), .. IpeChecks.For(IpeCheckTestKit.Settings, September, Parameters, new AnsweredControls(GoodAnswer()))], GoodRows());

        Assert.Equal(CheckStatus.Error, outcomes["Throws on row 2"].Status);
        Assert.Contains("InvalidOperationException: unreadable", outcomes["Throws on row 2"].Detail);
        Assert.Equal(CheckStatus.Passed, outcomes[Completeness].Status);
    }

    [Fact]
    public async Task Totals_are_exact_on_a_million_rows_with_values_beyond_double_precision()
    {
        const int rows = 1_000_000;
        // 17 significant digits and more: a double cannot hold them, so a double sum would be off.
        static string Amount(int i) => (i % 3) switch
        {
            0 => "12345678901234567.89",
            1 => "-9007199254740993.01",
            _ => "0.07",
        };
        var exact = BigInteger.Zero;
        var asDouble = 0.0;
        var perCompany = new Dictionary<string, BigInteger> { ["EC_NG"] = 0, ["JD_GH"] = 0 };
        for (var i = 0; i < rows; i++)
        {
            var cents = BigInteger.Parse(Amount(i).Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            exact += cents;
            perCompany[Company(i)] += cents;
            asDouble += double.Parse(Amount(i), CultureInfo.InvariantCulture);
        }
        static string Company(int i) => i % 2 == 0 ? "EC_NG" : "JD_GH";
        static string Text(BigInteger cents) => ExactNumber.Of(cents, 2).ToString();
        var answer = Answer(
            ["EC_NG", "13003", (rows / 2).ToString(CultureInfo.InvariantCulture), Text(perCompany["EC_NG"])],
            ["JD_GH", "13003", (rows / 2).ToString(CultureInfo.InvariantCulture), Text(perCompany["JD_GH"])]);

        var outcomes = await RunAsync(answer, Enumerable.Range(0, rows).Select(i =>
            new TestRow((i + 1).ToString(CultureInfo.InvariantCulture), Company(i), "13003", "2025-09-10", Amount(i))));

        var accuracy = outcomes[Accuracy];
        Assert.True(accuracy.Status == CheckStatus.Passed, accuracy.Detail);
        Assert.Equal(Text(exact), accuracy.Actual);
        Assert.NotEqual(Text(exact), ExactNumber.Of(new BigInteger(Math.Round(asDouble * 100)), 2).ToString());
        Assert.Equal(CheckStatus.Passed, outcomes[Completeness].Status);
        Assert.Equal(CheckStatus.Passed, outcomes[Duplicates].Status);
    }

    private sealed class ThrowingCheck : ICheck
    {
        private int _rows;
        public string Name => "Throws on row 2";
        public void Begin(ExtractHeader header) { }
        public void Row(IExtractRow row)
        {
            if (++_rows == 2) throw new InvalidOperationException("unreadable");
        }
        public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(new CheckOutcome(Name, CheckStatus.Passed, "", "", ""));
    }
}
