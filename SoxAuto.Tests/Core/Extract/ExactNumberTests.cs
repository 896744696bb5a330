using System.Text;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Extract;

public sealed class ExactNumberTests
{
    // Around 19 digits (what a 64-bit integer surely holds, where the parser moves to 128 bits) and 38
    // (where it moves to BigInteger), signs, leading zeros and scales: every digit is kept.
    [Theory]
    [InlineData("0", "0", 0)]
    [InlineData("-0.00", "0.00", 0)]
    [InlineData("00012.50", "12.50", 3)]
    [InlineData("-1234567890123456789", "-1234567890123456789", 19)]
    [InlineData("9999999999999999999", "9999999999999999999", 19)]
    [InlineData("18446744073709551616", "18446744073709551616", 20)]
    [InlineData("-99999999999999999999.99", "-99999999999999999999.99", 22)]
    [InlineData("12345678901234567890123456789012345678", "12345678901234567890123456789012345678", 38)]
    [InlineData("123456789012345678901234567890123456789.5", "123456789012345678901234567890123456789.5", 40)]
    [InlineData("+0.000000000000000000001", "0.000000000000000000001", 1)]
    public void A_number_keeps_every_digit_through_each_width_of_arithmetic(string text, string expected, int significant)
    {
        Assert.True(ExactNumber.TryParse(Encoding.ASCII.GetBytes(text), allowExponent: false, out var value, out var digits));

        Assert.Equal(expected, value.ToString());
        Assert.Equal(significant, digits);
    }

    [Fact]
    public void Totals_across_the_64_bit_boundary_are_exact()
    {
        var sum = new ExactSum();
        foreach (var text in new[] { "9999999999999999999.99", "0.01", "-1234567890123456789012.345" })
        {
            Assert.True(ExactNumber.TryParse(Encoding.ASCII.GetBytes(text), allowExponent: false, out var n, out _));
            sum.Add(n);
        }

        Assert.Equal("-1224567890123456789012.345", sum.ToString());
    }
}
