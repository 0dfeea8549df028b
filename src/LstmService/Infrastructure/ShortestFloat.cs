using System.Numerics;

namespace LstmService.Infrastructure;

/// <summary>
/// A float's shortest round-trip decimal in UTF-8, written as .NET writes it (<c>float.TryFormat</c> with no format, which
/// is what <see cref="System.Text.Json.Utf8JsonWriter"/> writes), several times faster: Ulf Adams' Ryū (PLDI 2018,
/// the f2s variant), whose digits are the shortest that read back to the same float and, among those, the closest to it,
/// as .NET's are. Values that .NET writes in exponent form (below 1e-4 or from 1e9 on) are left to .NET; a 10,000-series
/// forecast answer writes 400,000 floats, and formatting them was the largest single cost of writing it.
/// </summary>
internal static class ShortestFloat
{
    /// <summary>Enough for a sign, nine digits, a point and four leading zeros ("-0.0001234567").</summary>
    public const int MaxLength = 16;

    private const int MantissaBits = 23, ExponentBias = 127, Pow5InverseBits = 59, Pow5Bits = 61;

    // 5^-q and 5^i as 64-bit fixed-point numbers (Ryū's FLOAT_POW5_INV_SPLIT and FLOAT_POW5_SPLIT), computed once.
    private static readonly ulong[] Pow5InverseSplit = new ulong[31];
    private static readonly ulong[] Pow5Split = new ulong[48];

    static ShortestFloat()
    {
        for (int i = 0; i < Pow5Split.Length; i++)
        {
            var pow = BigInteger.Pow(5, i);
            int shift = BitLength(i) - Pow5Bits;
            Pow5Split[i] = (ulong)(shift >= 0 ? pow >> shift : pow << -shift);
            if (i < Pow5InverseSplit.Length) Pow5InverseSplit[i] = (ulong)((BigInteger.One << (BitLength(i) - 1 + Pow5InverseBits)) / pow + 1);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) exactly as
    /// <c>value.TryFormat(utf8, out n, default, CultureInfo.InvariantCulture)</c> does; false for a value this path leaves to
    /// .NET (not finite, or written in exponent form), with nothing written.
    /// </summary>
    public static bool TryFormat(float value, Span<byte> destination, out int written)
    {
        written = 0;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint mantissa = bits & ((1u << MantissaBits) - 1), exponent = (bits >> MantissaBits) & 0xFF;
        bool negative = (bits >> 31) != 0;
        if (exponent == 0xFF) return false;
        int pos = 0;
        if (negative) destination[pos++] = (byte)'-';
        if (exponent == 0 && mantissa == 0)
        {
            destination[pos++] = (byte)'0';
            written = pos;
            return true;
        }
        var (digits, power) = Shortest(mantissa, exponent);
        int count = DecimalLength(digits), scale = count + power; // value = 0.d1d2…dn × 10^scale
        if (scale > 9 || scale < -3) return false; // .NET's exponent form

        if (scale <= 0)
        {
            // 0.000ddd
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            for (int i = scale; i < 0; i++) destination[pos++] = (byte)'0';
            pos += count;
            WriteDigits(digits, destination[..pos], count);
        }
        else if (scale >= count)
        {
            // ddd000
            WriteDigits(digits, destination[..(pos + count)], count);
            pos += count;
            for (int i = count; i < scale; i++) destination[pos++] = (byte)'0';
        }
        else
        {
            // dd.ddd: the digits after the point first, then those before it
            int end = pos + count + 1;
            WriteDigits(digits % Pow10(count - scale), destination[..end], count - scale);
            destination[pos + scale] = (byte)'.';
            WriteDigits(digits / Pow10(count - scale), destination[..(pos + scale)], scale);
            pos = end;
        }
        written = pos;
        return true;
    }

    /// <summary>The shortest digits (as an integer) and their power of ten for a positive finite float's fields (Ryū's f2d).</summary>
    private static (uint Digits, int Power) Shortest(uint ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        uint m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - ExponentBias - MantissaBits - 2;
            m2 = (1u << MantissaBits) | ieeeMantissa;
        }
        bool acceptBounds = (m2 & 1) == 0; // round half to even when reading back
        uint mv = 4 * m2, mp = 4 * m2 + 2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        uint mm = 4 * m2 - 1 - mmShift;

        uint vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        uint lastRemovedDigit = 0;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2);
            e10 = q;
            int k = Pow5InverseBits + BitLength(q) - 1, i = -e2 + q + k;
            vr = MulShift(mv, Pow5InverseSplit[q], i);
            vp = MulShift(mp, Pow5InverseSplit[q], i);
            vm = MulShift(mm, Pow5InverseSplit[q], i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                int l = Pow5InverseBits + BitLength(q - 1) - 1;
                lastRemovedDigit = MulShift(mv, Pow5InverseSplit[q - 1], -e2 + q - 1 + l) % 10;
            }
            if (q <= 9)
            {
                if (mv % 5 == 0) vrIsTrailingZeros = Pow5Factor(mv) >= q;
                else if (acceptBounds) vmIsTrailingZeros = Pow5Factor(mm) >= q;
                else if (Pow5Factor(mp) >= q) vp--;
            }
        }
        else
        {
            int q = Log10Pow5(-e2);
            e10 = q + e2;
            int i = -e2 - q, k = BitLength(i) - Pow5Bits, j = q - k;
            vr = MulShift(mv, Pow5Split[i], j);
            vp = MulShift(mp, Pow5Split[i], j);
            vm = MulShift(mm, Pow5Split[i], j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                j = q - 1 - (BitLength(i + 1) - Pow5Bits);
                lastRemovedDigit = MulShift(mv, Pow5Split[i + 1], j) % 10;
            }
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
                else vp--;
            }
            else if (q < 31)
            {
                vrIsTrailingZeros = (mv & ((1u << (q - 1)) - 1)) == 0;
            }
        }

        int removed = 0;
        uint output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // The rare exact cases: trailing zeros decide the rounding.
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10; vp /= 10; vm /= 10;
                removed++;
            }
            if (vmIsTrailingZeros)
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vr % 10;
                    vr /= 10; vp /= 10; vm /= 10;
                    removed++;
                }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4; // exactly halfway: round to even
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        else
        {
            while (vp / 10 > vm / 10)
            {
                lastRemovedDigit = vr % 10;
                vr /= 10; vp /= 10; vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        return (output, e10 + removed);
    }

    /// <summary>Writes the <paramref name="count"/> lowest decimal digits of <paramref name="digits"/> at the end of <paramref name="destination"/>.</summary>
    private static void WriteDigits(uint digits, Span<byte> destination, int count)
    {
        for (int i = destination.Length - 1, end = destination.Length - count; i >= end; i--)
        {
            uint rest = digits / 10;
            destination[i] = (byte)('0' + (digits - rest * 10));
            digits = rest;
        }
    }

    private static uint Pow10(int n)
    {
        uint p = 1;
        for (int i = 0; i < n; i++) p *= 10;
        return p;
    }

    /// <summary>Bits of 5^e (1 for e = 0); exact for e up to 3528.</summary>
    private static int BitLength(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    /// <summary>floor(log10(2^e)) for e up to 1650.</summary>
    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    /// <summary>floor(log10(5^e)) for e up to 2620.</summary>
    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static int Pow5Factor(uint value)
    {
        int count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }
        return count;
    }

    /// <summary>(m × factor) >> shift, with shift above 32 (the 96-bit product's top bits).</summary>
    private static uint MulShift(uint m, ulong factor, int shift)
    {
        ulong low = (ulong)m * (uint)factor, high = (ulong)m * (uint)(factor >> 32);
        return (uint)(((low >> 32) + high) >> (shift - 32));
    }

    private static int DecimalLength(uint v) =>
        v >= 100000000 ? 9 : v >= 10000000 ? 8 : v >= 1000000 ? 7 : v >= 100000 ? 6 : v >= 10000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
}
