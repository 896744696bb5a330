using SoxAuto.Core.Engines.Local;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Extract;

/// <summary>Values as Athena prints them; doubles follow Java's Double.toString, which Trino uses.</summary>
public class AthenaValueTextTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1234567.5, "1234567.5")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(12345678.9, "1.23456789E7")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1.0E21")]
    [InlineData(1.5e-10, "1.5E-10")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Doubles_print_as_Java_prints_them(double value, string text) =>
        Assert.Equal(text, AthenaValueText.Double(value));

    [Theory]
    [InlineData(1.5f, "1.5")]
    [InlineData(0.1f, "0.1")]
    [InlineData(1e8f, "1.0E8")]
    public void Reals_print_with_float_precision(float value, string text) =>
        Assert.Equal(text, AthenaValueText.Real(value));

    [Theory]
    [InlineData("1234.5", 2, "1234.50")]
    [InlineData("0", 2, "0.00")]
    [InlineData("-0.05", 2, "-0.05")]
    [InlineData("12345678901234567.89", 2, "12345678901234567.89")]
    [InlineData("1E-10", 10, "0.0000000001")]
    [InlineData("42", 0, "42")]
    public void Decimals_keep_every_digit_and_exactly_their_scale(string value, int scale, string text) =>
        Assert.Equal(text, AthenaValueText.Decimal(decimal.Parse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), scale));

    [Fact]
    public void Dates_and_timestamps_use_Athena_layouts()
    {
        Assert.Equal("2025-09-30", AthenaValueText.Date(new DateOnly(2025, 9, 30)));
        Assert.Equal("2025-09-30 23:59:59.000", AthenaValueText.Timestamp(new DateTime(2025, 9, 30, 23, 59, 59)));
        Assert.Equal("2025-01-02 03:04:05.678", AthenaValueText.Timestamp(new DateTime(2025, 1, 2, 3, 4, 5, 678).AddTicks(9999)));
        Assert.Equal("true", AthenaValueText.Boolean(true));
        Assert.Equal("false", AthenaValueText.Boolean(false));
    }
}
