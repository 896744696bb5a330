using System.Numerics;

namespace SoxAuto.Core.Extract;

/// <summary>An exact running total of <see cref="ExactNumber"/>s.</summary>
public sealed class ExactSum
{
    private Int128 _small;
    private BigInteger? _big;
    private int _scale;

    public void Add(in ExactNumber n)
    {
        if (_big is null && !n.IsBig)
        {
            try
            {
                Int128 sum = _small, value = n.Small;
                var scale = _scale;
                if (n.Scale > scale) { sum = checked(sum * ExactNumber.Pow10At(n.Scale - scale)); scale = n.Scale; }
                else if (n.Scale < scale) value = checked(value * ExactNumber.Pow10At(scale - n.Scale));
                _small = checked(sum + value);
                _scale = scale;
                return;
            }
            catch (OverflowException) { }
        }
        var total = _big ?? (BigInteger)_small;
        var s = Math.Max(_scale, n.Scale);
        _big = total * BigInteger.Pow(10, s - _scale) + n.Unscaled * BigInteger.Pow(10, s - n.Scale);
        _scale = s;
    }

    /// <summary>The total so far.</summary>
    public ExactNumber Value => ExactNumber.Of(_big ?? (BigInteger)_small, _scale);

    public override string ToString() => ExactNumber.Format(_big ?? (BigInteger)_small, _scale);
}
