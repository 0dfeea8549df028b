using System.Numerics.Tensors;

namespace LstmService.Kernels;

/// <summary>SGD with (heavy-ball) momentum and decoupled weight decay, like torch.optim.SGD with dampening 0.</summary>
public sealed class SgdOptimizer(int length, float learningRate = 1e-2f, float momentum = 0.9f, float weightDecay = 0f) : IOptimizer
{
    readonly float[] _velocity = new float[length];

    public float LearningRate { get; set; } = learningRate;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != _velocity.Length || gradients.Length != _velocity.Length) throw new ArgumentException("Parameter and gradient buffers must match the optimizer's length.");
        // v = momentum v + g; p = p (1 - lr wd) - lr v: two element-wise passes TensorPrimitives already vectorises.
        TensorPrimitives.MultiplyAdd(_velocity, momentum, gradients, _velocity);
        if (weightDecay > 0) TensorPrimitives.Multiply(parameters, 1f - LearningRate * weightDecay, parameters);
        TensorPrimitives.MultiplyAdd(_velocity, -LearningRate, parameters, parameters);
    }
}
