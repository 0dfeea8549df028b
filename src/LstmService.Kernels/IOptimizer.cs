namespace LstmService.Kernels;

/// <summary>An optimizer updates a flat parameter buffer from the matching gradient buffer.</summary>
public interface IOptimizer
{
    float LearningRate { get; set; }
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}
