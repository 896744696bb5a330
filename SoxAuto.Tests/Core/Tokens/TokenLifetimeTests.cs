using SoxAuto.Core.Tokens;

namespace SoxAuto.Tests.Core.Tokens;

public sealed class TokenLifetimeTests
{
    [Theory]
    [InlineData("12h", 0.5)]
    [InlineData("30d", 30)]
    [InlineData(" 8W ", 56)]
    [InlineData("366d", 366)]
    public void A_lifetime_is_a_number_of_hours_days_or_weeks(string text, double days)
    {
        Assert.True(TokenLifetime.TryParse(text, out var lifetime, out var error), error);
        Assert.Equal(TimeSpan.FromDays(days), lifetime);
    }

    [Theory]
    [InlineData("", "is not a duration")]
    [InlineData("30", "is not a duration")]
    [InlineData("0d", "is not a duration")]
    [InlineData("-1d", "is not a duration")]
    [InlineData("1y", "is not a duration")]
    [InlineData("367d", "longer than a token may live (366 days)")]
    [InlineData("53w", "longer than a token may live")]
    public void A_missing_unit_zero_or_more_than_a_year_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(TokenLifetime.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
