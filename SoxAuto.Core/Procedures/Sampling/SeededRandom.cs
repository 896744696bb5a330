namespace SoxAuto.Core.Procedures.Sampling;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a small generator whose whole definition is the few lines
/// below, so that a sample drawn from a seed can be drawn again by anyone, on any version of .NET or
/// outside SoxAuto (System.Random's seeded sequence is not promised to stay the same).
/// </summary>
internal sealed class SeededRandom(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias (values below 2^64 mod bound are redrawn).</summary>
    public long Below(long bound)
    {
        var b = (ulong)bound;
        var threshold = (0UL - b) % b;
        while (true)
        {
            var r = Next();
            if (r >= threshold) return (long)(r % b);
        }
    }

    /// <summary>Uniform in [0, 1) with 53 bits, as a decimal.</summary>
    public decimal Fraction() => (decimal)(Next() >> 11) / (decimal)(1UL << 53);
}
