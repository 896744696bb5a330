using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Checks;

public class DatesInPeriodCheckTests
{
    private static readonly string[] Header = ["order_id", "order_date"];
    private static readonly Period September = Period.Month(2025, 9);

    private static Task<CheckOutcome> Run(CheckSettings settings, params string?[] dates)
        => CheckPass.RunAsync(new DatesInPeriodCheck(settings, September), Header, dates.Select(d => new TestRow("1", d)).ToArray());

    private static CheckSettings Within(string column = "order_date") => new() { DateColumn = column };

    [Fact]
    public async Task Passes_when_every_date_is_inside_the_period_bounds_included()
    {
        var outcome = await Run(Within(), "2025-09-01", "2025-09-30", "2025-09-15");
        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal("order_date from 2025-09-01 to 2025-09-30, both inclusive", outcome.Expected);
        Assert.Equal("min 2025-09-01, max 2025-09-30; 0 outside, 0 NULL, 0 not a date", outcome.Actual);
        Assert.Equal("Every order_date inside the period", outcome.Name);
    }

    [Fact]
    public async Task Fails_when_a_date_falls_after_the_cutoff_or_before_the_start()
    {
        var outcome = await Run(Within(), "2025-08-31", "2025-09-10", "2025-10-01");
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("min 2025-08-31, max 2025-10-01; 2 outside, 0 NULL, 0 not a date", outcome.Actual);
        Assert.Contains("data row 1 is dated 2025-08-31", outcome.Detail);
    }

    [Fact]
    public async Task Up_to_cutoff_accepts_earlier_dates_but_not_later_ones()
    {
        var settings = new CheckSettings { DateColumn = "order_date", DateBound = DateBound.UpToCutoff };
        Assert.Equal(CheckStatus.Passed, (await Run(settings, "2019-01-01", "2025-09-30")).Status);
        var late = await Run(settings, "2019-01-01", "2025-10-01");
        Assert.Equal(CheckStatus.Failed, late.Status);
        Assert.Equal("order_date on or before 2025-09-30 (the cutoff)", late.Expected);
    }

    [Fact]
    public async Task Timestamps_count_by_their_calendar_date()
    {
        Assert.Equal(CheckStatus.Passed, (await Run(Within(), "2025-09-30 23:59:59.999", "2025-09-01 00:00:00")).Status);
        Assert.Equal(CheckStatus.Failed, (await Run(Within(), "2025-10-01 00:00:00.000")).Status);
    }

    [Fact]
    public async Task NULL_dates_are_counted_and_fail_the_check()
    {
        var outcome = await Run(Within(), "2025-09-02", null, null);
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("2 NULL", outcome.Actual);
        Assert.Contains("data row 2 has no date (NULL)", outcome.Detail);
    }

    [Fact]
    public async Task A_value_that_is_not_a_date_fails_the_check()
    {
        var outcome = await Run(Within(), "2025-09-02", "30/09/2025");
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("1 not a date", outcome.Actual);
        Assert.Contains("\"30/09/2025\"", outcome.Detail);
    }

    [Fact]
    public async Task Fails_when_the_date_column_is_missing_from_the_result()
    {
        var outcome = await Run(Within("posting_date"), "2025-09-02");
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("posting_date is missing", outcome.Actual);
    }

    [Fact]
    public async Task Is_not_run_when_no_date_column_is_declared()
    {
        var outcome = await Run(new CheckSettings(), "1999-01-01");
        Assert.Equal(CheckStatus.NotRun, outcome.Status);
        Assert.Contains("declares no date column", outcome.Detail);
    }

    [Fact]
    public async Task Passes_an_extract_without_rows_and_says_so()
    {
        var outcome = await Run(Within());
        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("no rows", outcome.Detail);
    }
}
