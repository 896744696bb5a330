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
    [InlineData("", "No period given")]
    [InlineData(null, "No period given")]
    [InlineData("2025-Q5", "Q1 to Q4")]
    [InlineData("2025-02-30", "not a valid date")]
    [InlineData("25-09", "is not a period")]
    [InlineData("2025-9", "is not a period")]
    [InlineData("1999-12", "the year must be 2000 to 2027")]
    [InlineData("2025-09'; DROP TABLE x; --", "is not a period")]
    public void A_malformed_period_is_refused_with_a_clear_message(string? text, string expected)
    {
        Assert.False(Period.TryParse(text, Today, out _, out var error));
        Assert.Contains(expected, error);
        var e = Assert.Throws<FormatException>(() => Period.Parse(text!, Today));
        Assert.Contains(expected, e.Message);
    }

    /// <summary>Each of these threw (AddMonths out of range, int.Parse of a non-ASCII digit), which ended a
    /// browser circuit and crashed the headless verb. Each must be a refusal: one short sentence.</summary>
    [Theory]
    [InlineData("9999-12", "the year must be 2000 to 2027")]
    [InlineData("9999-Q4", "the year must be 2000 to 2027")]
    [InlineData("9999", "the year must be 2000 to 2027")]
    [InlineData("9999-12-31", "the year must be 2000 to 2027")]
    [InlineData("2028-01", "the year must be 2000 to 2027")]
    [InlineData("0000-01", "the year must be 2000 to 2027")]
    [InlineData("\uFF12\uFF10\uFF12\uFF15-\uFF10\uFF19", "is not a period")]    // full-width ２０２５-０９
    [InlineData("\u0662\u0660\u0662\u0665-\u0660\u0669", "is not a period")]    // Arabic-Indic ٢٠٢٥-٠٩
    [InlineData("2025-\u0660\u0669", "is not a period")]
    [InlineData("2025-Q\u0663", "is not a period")]
    [InlineData("2025-09\n", null)]                                               // trimmed: a valid month
    [InlineData("2025-09\n-15", "is not a period")]
    [InlineData("   ", "No period given")]
    public void A_period_that_used_to_throw_is_refused_with_one_short_sentence(string text, string? expected)
    {
        var ok = Period.TryParse(text, Today, out _, out var error);
        if (expected is null)
        {
            Assert.True(ok, error);
            return;
        }
        Assert.False(ok);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public void A_10000_character_period_is_refused_and_quoted_back_in_40_characters()
    {
        var text = new string('9', 10_000);
        Assert.False(Period.TryParse(text, Today, out _, out var error));
        Assert.StartsWith($"'{new string('9', 40)}…' is not a period.", error);
        Assert.True(error.Length < 200, error);
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
