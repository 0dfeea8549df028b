namespace LstmService.Kernels;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same seed gives the same stream on every platform and .NET version
/// (System.Random's seeded algorithm is not a documented contract). Every random draw in the library comes from one of these.
/// </summary>
public sealed class SeededRandom
{
    ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stateless hash of a key to [0, 1): lets parallel code draw per-element randomness (dropout) independent of the split.</summary>
    public static float HashToUnit(ulong seed, ulong key)
    {
        ulong x = seed ^ (key * 0xD1B54A32D192ED03UL);
        return (SplitMix(ref x) >> 40) * (1f / (1UL << 24));
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t; _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1UL << 24));

    /// <summary>Uniform in [low, high).</summary>
    public float NextUniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
