using System.Numerics.Tensors;

namespace LstmService.Kernels;

/// <summary>Gradient utilities shared by the optimizers.</summary>
public static class GradientClipping
{
    /// <summary>Scales <paramref name="gradients"/> so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), "Max norm must be positive.");
        float norm = TensorPrimitives.Norm(gradients);
        if (norm > maxNorm) TensorPrimitives.Multiply(gradients, maxNorm / (norm + 1e-6f), gradients);
        return norm;
    }
}
