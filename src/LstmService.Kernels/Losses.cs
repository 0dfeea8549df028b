namespace LstmService.Kernels;

/// <summary>
/// Loss functions over predictions and targets of equal length. A NaN target marks a missing value: it adds
/// nothing to the loss and gets a zero gradient, and the mean is over the observed targets only.
/// Each returns the mean loss and writes dLoss/dPrediction into <c>gradient</c> (same length as the predictions).
/// </summary>
public static class Losses
{
    /// <summary>Mean squared error.</summary>
    public static float MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
        => Huber(prediction, target, gradient, float.PositiveInfinity);

    /// <summary>Huber loss with threshold <paramref name="delta"/> (squared below, linear above); infinite delta gives MSE.</summary>
    public static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient, float delta = 1f)
    {
        Validate(prediction, target, gradient);
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), "Delta must be positive.");
        int observed = 0;
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            float y = target[i];
            if (float.IsNaN(y)) { gradient[i] = 0f; continue; }
            observed++;
            float d = prediction[i] - y, a = MathF.Abs(d);
            if (a <= delta) { sum += 0.5 * d * d; gradient[i] = d; }
            else { sum += delta * (a - 0.5 * delta); gradient[i] = MathF.CopySign(delta, d); }
        }
        // MSE is the mean of d^2 (PyTorch's mse_loss), i.e. twice the Huber sum in the quadratic region.
        float scale = float.IsPositiveInfinity(delta) ? 2f : 1f;
        return Normalise(gradient, observed, sum * scale, scale);
    }

    /// <summary>
    /// Pinball (quantile) loss. Predictions are laid out [rows, Q, S] (for each row, S values per quantile level),
    /// targets [rows, S] with S = <paramref name="steps"/>. Averaged over levels and observed targets.
    /// </summary>
    public static float Pinball(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, ReadOnlySpan<float> quantiles, int steps, Span<float> gradient)
    {
        int q = quantiles.Length;
        if (q == 0) throw new ArgumentException("At least one quantile level is needed.", nameof(quantiles));
        foreach (var level in quantiles)
            if (!(level > 0f && level < 1f)) throw new ArgumentOutOfRangeException(nameof(quantiles), level, "Quantile levels must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (target.Length % steps != 0) throw new ArgumentException("Target length must be a multiple of steps.", nameof(target));
        if (prediction.Length != target.Length * q) throw new ArgumentException("Prediction must hold Q values per target.", nameof(prediction));
        if (gradient.Length != prediction.Length) throw new ArgumentException("Gradient must be as long as the prediction.", nameof(gradient));
        int rows = target.Length / steps, observed = 0;
        double sum = 0;
        for (int r = 0; r < rows; r++)
            for (int s = 0; s < steps; s++)
            {
                float y = target[r * steps + s];
                bool missing = float.IsNaN(y);
                if (!missing) observed++;
                for (int k = 0; k < q; k++)
                {
                    int i = (r * q + k) * steps + s;
                    if (missing) { gradient[i] = 0f; continue; }
                    float tau = quantiles[k], d = y - prediction[i];
                    if (d > 0) { sum += tau * d; gradient[i] = -tau; }
                    else { sum -= (1 - tau) * d; gradient[i] = 1 - tau; }
                }
            }
        return Normalise(gradient, observed * q, sum, 1f);
    }

    /// <summary>
    /// Softmax cross-entropy over logits laid out [rows, classes] with one class index per row, each row weighted by its
    /// class's weight (PyTorch's cross_entropy with weight=: the weighted mean over rows, so a rare class counts as much as
    /// a common one when the weights are inverse frequencies). Writes the softmax probabilities into
    /// <paramref name="probabilities"/> and dLoss/dLogit into <paramref name="gradient"/>; returns the mean loss.
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> classWeights,
        Span<float> probabilities, Span<float> gradient)
    {
        int k = classWeights.Length, rows = targets.Length;
        if (k < 1) throw new ArgumentException("At least one class is needed.", nameof(classWeights));
        if (logits.Length != rows * k) throw new ArgumentException("Logits must hold one value per row and class.", nameof(logits));
        if (probabilities.Length != logits.Length || gradient.Length != logits.Length)
            throw new ArgumentException("Probabilities and gradient must be as long as the logits.", nameof(gradient));
        double sum = 0, weights = 0;
        for (int r = 0; r < rows; r++)
        {
            int y = targets[r];
            if ((uint)y >= (uint)k) throw new ArgumentOutOfRangeException(nameof(targets), y, $"Class index must be in 0..{k - 1}.");
            var p = probabilities.Slice(r * k, k);
            Softmax(logits.Slice(r * k, k), p);
            float w = classWeights[y];
            weights += w;
            sum -= w * Math.Log(Math.Max(p[y], 1e-30f));
            var g = gradient.Slice(r * k, k);
            for (int c = 0; c < k; c++) g[c] = w * (p[c] - (c == y ? 1f : 0f));
        }
        if (!(weights > 0)) { gradient.Clear(); return 0f; }
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, (float)(1 / weights), gradient);
        return (float)(sum / weights);
    }

    /// <summary>Softmax of one row, shifted by its maximum so large logits do not overflow.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(logits);
        double total = 0;
        for (int c = 0; c < logits.Length; c++) total += probabilities[c] = MathF.Exp(logits[c] - max);
        float inv = (float)(1 / total);
        for (int c = 0; c < logits.Length; c++) probabilities[c] *= inv;
    }

    static float Normalise(Span<float> gradient, int observed, double sum, float scale)
    {
        if (observed == 0) { gradient.Clear(); return 0f; }
        float inv = scale / observed;
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, inv, gradient);
        return (float)(sum / observed);
    }

    static void Validate(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        if (prediction.Length != target.Length) throw new ArgumentException("Prediction and target lengths differ.", nameof(target));
        if (gradient.Length != prediction.Length) throw new ArgumentException("Gradient must be as long as the prediction.", nameof(gradient));
    }
}
