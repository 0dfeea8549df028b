using System.Numerics;
using System.Runtime.CompilerServices;

namespace LstmService.Kernels;

/// <summary>
/// Sigmoid and tanh on Vector&lt;float&gt; with their scalar counterparts. tanh is Eigen's rational approximation
/// (odd 13/even 6 polynomials, clamped where float tanh is ±1): one division and ten FMAs, a few ulp from MathF.Tanh.
/// sigmoid(x) = (1 + tanh(x/2)) / 2, so the cell needs no exp at all; near saturation its absolute error stays below 2e-7.
/// </summary>
public static class Activations
{
    /// <summary>Scalar sigmoid used by every scalar path.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        var half = new Vector<float>(0.5f);
        return Vector.FusedMultiplyAdd(half, Tanh(x * half), half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(-7.99881172180175781f)), new Vector<float>(7.99881172180175781f));
        var x2 = x * x;
        var p = Vector.FusedMultiplyAdd(x2, new Vector<float>(-2.76076847742355e-16f), new Vector<float>(2.00018790482477e-13f));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(-8.60467152213735e-11f));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(5.12229709037114e-08f));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(1.48572235717979e-05f));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(6.37261928875436e-04f));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(4.89352455891786e-03f));
        var q = Vector.FusedMultiplyAdd(x2, new Vector<float>(1.19825839466702e-06f), new Vector<float>(1.18534705686654e-04f));
        q = Vector.FusedMultiplyAdd(x2, q, new Vector<float>(2.26843463243900e-03f));
        q = Vector.FusedMultiplyAdd(x2, q, new Vector<float>(4.89352518554385e-03f));
        return x * p / q;
    }
}
