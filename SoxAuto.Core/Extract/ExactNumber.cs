using System.Globalization;
using System.Numerics;

namespace SoxAuto.Core.Extract;

/// <summary>
/// A number held exactly as Unscaled x 10^-Scale, so that control totals keep every digit of a
/// decimal. Int128 covers Athena's decimal(38) without allocating; BigInteger takes over beyond it.
/// </summary>
public readonly struct ExactNumber
{
    private static readonly Int128[] Pow10 = BuildPow10();

    private readonly Int128 _small;
    private readonly BigInteger? _big;

    private ExactNumber(Int128 small, BigInteger? big, int scale)
    {
        _small = small;
        _big = big;
        Scale = scale;
    }

    public int Scale { get; }

    public BigInteger Unscaled => _big ?? (BigInteger)_small;

    /// <summary>Parses <c>[-+]digits[.digits][e[-+]digits]</c>. <paramref name="significantDigits"/>
    /// counts from the first to the last non-zero digit (what an Excel number, 15 digits, can keep).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, bool allowExponent, out ExactNumber value, out int significantDigits)
    {
        value = default;
        significantDigits = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
        {
            negative = text[i] == (byte)'-';
            i++;
        }
        // The digits go into a ulong while 19 of them surely fit, then into an Int128: 128-bit
        // arithmetic per digit was most of the parsing time of every amount (issue 18's profile).
        ulong fast = 0;
        Int128 acc = 0;
        var digits = 0;        // digits held in fast or acc (leading zeros are not held)
        var scale = 0;
        var seenDigit = false;
        var seenPoint = false;
        var firstNonZero = -1;
        var lastNonZero = -1;
        var position = 0;      // index among all digits, for significant digits
        var tooLong = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                seenDigit = true;
                if (c != (byte)'0')
                {
                    if (firstNonZero < 0) firstNonZero = position;
                    lastNonZero = position;
                }
                position++;
                if (seenPoint) scale++;
                if (digits == 0 && c == (byte)'0') continue;
                if (digits < 19) fast = fast * 10 + (uint)(c - '0');
                else if (digits == 38) { tooLong = true; continue; }
                else acc = (digits == 19 ? fast : acc) * 10 + (c - '0');
                digits++;
            }
            else if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else break;
        }
        if (!seenDigit) return false;
        var exponent = 0;
        if (i < text.Length)
        {
            if (!allowExponent || (text[i] != (byte)'e' && text[i] != (byte)'E')) return false;
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                expNegative = text[i] == (byte)'-';
                i++;
            }
            if (i == text.Length) return false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (c is < (byte)'0' or > (byte)'9' || exponent > 100_000) return false;
                exponent = exponent * 10 + (c - '0');
            }
            if (exponent > 1000) return false; // beyond any double; refuse rather than build huge numbers
            if (expNegative) exponent = -exponent;
        }
        significantDigits = firstNonZero < 0 ? 0 : lastNonZero - firstNonZero + 1;
        scale -= exponent;
        if (tooLong) return TryParseBig(text, allowExponent, out value);
        if (digits <= 19) acc = fast;
        if (negative) acc = -acc;
        value = scale >= 0 ? new ExactNumber(acc, null, scale) : Rescale(acc, -scale);
        return true;
    }

    private static ExactNumber Rescale(Int128 unscaled, int by)
    {
        if (by < Pow10.Length)
        {
            try { return new ExactNumber(checked(unscaled * Pow10[by]), null, 0); }
            catch (OverflowException) { }
        }
        return new ExactNumber(0, unscaled * BigInteger.Pow(10, by), 0);
    }

    /// <summary>More than 38 digits: rare enough that allocating is fine.</summary>
    private static bool TryParseBig(ReadOnlySpan<byte> text, bool allowExponent, out ExactNumber value)
    {
        value = default;
        var s = System.Text.Encoding.ASCII.GetString(text);
        var e = s.IndexOfAny(['e', 'E']);
        var exponent = 0;
        if (e >= 0)
        {
            if (!allowExponent || !int.TryParse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
            s = s[..e];
        }
        var point = s.IndexOf('.');
        var scale = point < 0 ? 0 : s.Length - point - 1;
        var digits = point < 0 ? s : s.Remove(point, 1);
        if (!BigInteger.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unscaled)) return false;
        scale -= exponent;
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }
        value = new ExactNumber(0, unscaled, scale);
        return true;
    }

    public static int Compare(in ExactNumber a, in ExactNumber b)
    {
        if (a._big is null && b._big is null)
        {
            if (a.Scale == b.Scale) return a._small.CompareTo(b._small);
            try
            {
                return a.Scale < b.Scale
                    ? checked(a._small * Pow10At(b.Scale - a.Scale)).CompareTo(b._small)
                    : a._small.CompareTo(checked(b._small * Pow10At(a.Scale - b.Scale)));
            }
            catch (OverflowException) { }
        }
        var scale = Math.Max(a.Scale, b.Scale);
        return (a.Unscaled * BigInteger.Pow(10, scale - a.Scale)).CompareTo(b.Unscaled * BigInteger.Pow(10, scale - b.Scale));
    }

    /// <summary>Zero, at scale 0.</summary>
    public static ExactNumber Zero => default;

    /// <summary><paramref name="a"/> minus <paramref name="b"/>, exactly, at the larger of their scales.</summary>
    public static ExactNumber Difference(in ExactNumber a, in ExactNumber b)
    {
        var scale = Math.Max(a.Scale, b.Scale);
        return Of(a.Unscaled * BigInteger.Pow(10, scale - a.Scale) - b.Unscaled * BigInteger.Pow(10, scale - b.Scale), scale);
    }

    /// <summary>Unscaled x 10^-scale, held in 128 bits when it fits.</summary>
    internal static ExactNumber Of(BigInteger unscaled, int scale) =>
        unscaled >= (BigInteger)Int128.MinValue && unscaled <= (BigInteger)Int128.MaxValue
            ? new ExactNumber((Int128)unscaled, null, scale)
            : new ExactNumber(0, unscaled, scale);

    /// <summary>Plain decimal text with every digit, e.g. "-0.05" or "12345678901234567.89".</summary>
    public override string ToString() => Format(Unscaled, Scale);

    internal static string Format(BigInteger unscaled, int scale)
    {
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = digits[..^scale] + "." + digits[^scale..];
        }
        return unscaled.Sign < 0 ? "-" + digits : digits;
    }

    internal static Int128 Pow10At(int n) => n < Pow10.Length ? Pow10[n] : throw new OverflowException();

    internal Int128 Small => _small;
    internal bool IsBig => _big is not null;

    private static Int128[] BuildPow10()
    {
        var p = new Int128[39];
        p[0] = 1;
        for (var i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }
}
