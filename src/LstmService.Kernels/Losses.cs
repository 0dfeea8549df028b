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
