using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmService.Kernels;

/// <summary>Adam with decoupled weight decay (AdamW when <see cref="WeightDecay"/> &gt; 0), bias-corrected like torch.optim.AdamW.</summary>
public sealed class AdamOptimizer(int length, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f) : IOptimizer
{
    readonly float[] _m = new float[length];
    readonly float[] _v = new float[length];
    int _t;

    public float LearningRate { get; set; } = learningRate;
    public float WeightDecay { get; } = weightDecay;
    public int StepCount => _t;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != _m.Length || gradients.Length != _m.Length) throw new ArgumentException("Parameter and gradient buffers must match the optimizer's length.");
        _t++;
        float c1 = 1f / (1f - MathF.Pow(beta1, _t)), c2 = 1f / (1f - MathF.Pow(beta2, _t));
        var hp = new AdamHyper(LearningRate, beta1, beta2, epsilon, 1f - LearningRate * WeightDecay, c1, c2);
        int i = 0;
        if (Vector.IsHardwareAccelerated) i = StepVector(parameters, gradients, _m, _v, hp);
        StepScalar(parameters, gradients, _m, _v, hp, i);
    }

    internal readonly record struct AdamHyper(float Lr, float Beta1, float Beta2, float Eps, float Decay, float C1, float C2);

    /// <summary>Scalar reference: p = p(1 - lr wd) - lr m̂ / (sqrt(v̂) + eps).</summary>
    internal static void StepScalar(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamHyper h, int start = 0)
    {
        for (int i = start; i < p.Length; i++)
        {
            float gi = g[i];
            m[i] = h.Beta1 * m[i] + (1f - h.Beta1) * gi;
            v[i] = h.Beta2 * v[i] + (1f - h.Beta2) * gi * gi;
            p[i] = p[i] * h.Decay - h.Lr * (m[i] * h.C1) / (MathF.Sqrt(v[i] * h.C2) + h.Eps);
        }
    }

    static int StepVector(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamHyper h)
    {
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        var b1 = new Vector<float>(h.Beta1); var nb1 = new Vector<float>(1f - h.Beta1);
        var b2 = new Vector<float>(h.Beta2); var nb2 = new Vector<float>(1f - h.Beta2);
        var lr = new Vector<float>(h.Lr); var eps = new Vector<float>(h.Eps); var decay = new Vector<float>(h.Decay);
        var c1 = new Vector<float>(h.C1); var c2 = new Vector<float>(h.C2);
        int vw = Vector<float>.Count, i = 0;
        for (; i <= p.Length - vw; i += vw)
        {
            nuint u = (nuint)i;
            var gi = Vector.LoadUnsafe(ref gr, u);
            var mi = Vector.FusedMultiplyAdd(b1, Vector.LoadUnsafe(ref mr, u), nb1 * gi);
            var vi = Vector.FusedMultiplyAdd(b2, Vector.LoadUnsafe(ref vr, u), nb2 * gi * gi);
            var step = lr * (mi * c1) / (Vector.SquareRoot(vi * c2) + eps);
            (Vector.LoadUnsafe(ref pr, u) * decay - step).StoreUnsafe(ref pr, u);
            mi.StoreUnsafe(ref mr, u); vi.StoreUnsafe(ref vr, u);
        }
        return i;
    }
}
