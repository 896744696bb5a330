using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Periods;

public class PeriodTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Theory]
    [InlineData("2025-09", PeriodKind.Month, "2025-09-01", "2025-09-30", "2025-10-01")]
    [InlineData("2024-02", PeriodKind.Month, "2024-02-01", "2024-02-29", "2024-03-01")]
    [InlineData("2025-12", PeriodKind.Month, "2025-12-01", "2025-12-31", "2026-01-01")]
    [InlineData("2025-Q3", PeriodKind.Quarter, "2025-07-01", "2025-09-30", "2025-10-01")]
    [InlineData("2025-q4", PeriodKind.Quarter, "2025-10-01", "2025-12-31", "2026-01-01")]
    [InlineData("2025", PeriodKind.Year, "2025-01-01", "2025-12-31", "2026-01-01")]
    [InlineData("2025-09-15", PeriodKind.Cutoff, "2025-09-01", "2025-09-15", "2025-09-16")]
    [InlineData(" 2025-09 ", PeriodKind.Month, "2025-09-01", "2025-09-30", "2025-10-01")]
    public void A_period_gives_its_start_its_inclusive_cutoff_and_the_exclusive_next_start(
        string text, PeriodKind kind, string start, string end, string next)
    {
        var p = Period.Parse(text, Today);
        Assert.Equal(kind, p.Kind);
        Assert.Equal(DateOnly.Parse(start), p.Start);
        Assert.Equal(DateOnly.Parse(end), p.End);
        Assert.Equal(DateOnly.Parse(next), p.NextStart);
    }

    [Theory]
    [InlineData("2025-09", "2025-09")]
    [InlineData("2025-q3", "2025-Q3")]
    [InlineData("2025", "2025")]
    [InlineData("2025-09-15", "2025-09-15")]
    public void The_canonical_text_is_stable(string text, string canonical) =>
        Assert.Equal(canonical, Period.Parse(text, Today).Text);

    [Theory]
    [InlineData("2025-13", "month must be 01 to 12")]
    [InlineData("2025-00", "month must be 01 to 12")]
    [InlineData("abc", "is not a period")]
    [InlineData("", "is not a period")]
    [InlineData(null, "is not a period")]
    [InlineData("2025-Q5", "Q1 to Q4")]
    [InlineData("2025-02-30", "not a valid date")]
    [InlineData("25-09", "is not a period")]
    [InlineData("2025-9", "is not a period")]
    [InlineData("1999-12", "2000 or later")]
    [InlineData("2025-09'; DROP TABLE x; --", "is not a period")]
    public void A_malformed_period_is_refused_with_a_clear_message(string? text, string expected)
    {
        Assert.False(Period.TryParse(text, Today, out _, out var error));
        Assert.Contains(expected, error);
        var e = Assert.Throws<FormatException>(() => Period.Parse(text!, Today));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("2026-11")]      // the current month has not ended
    [InlineData("2026-12")]
    [InlineData("2026-Q4")]
    [InlineData("2026")]
    [InlineData("2026-11-25")]   // a cutoff of today: the day is not over
    [InlineData("2027-01-31")]
    public void A_period_that_has_not_ended_is_refused(string text)
    {
        Assert.False(Period.TryParse(text, Today, out _, out var error));
        Assert.Contains("has not ended yet", error);
    }

    [Theory]
    [InlineData("2026-10")]
    [InlineData("2026-Q3")]
    [InlineData("2026-11-24")]
    public void A_period_that_ended_before_today_is_accepted(string text) =>
        Assert.True(Period.TryParse(text, Today, out _, out _));

    [Fact]
    public void Describe_says_which_bound_is_inclusive_and_which_exclusive()
    {
        var d = Period.Parse("2025-09", Today).Describe();
        Assert.Contains("2025-09-01", d);
        Assert.Contains("cutoff 2025-09-30 inclusive", d);
        Assert.Contains("2025-10-01", d);
    }
}
