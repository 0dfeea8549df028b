using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Classification;

/// <summary>
/// Trains a <see cref="SequenceClassifier"/>: the labelled sequences split into a training and a validation part (stratified
/// by class, or the last ones in time order), each feature standardised with the training part's statistics, minibatches of
/// sequences of one length (no padding, so a sequence's answer never depends on its neighbours), softmax cross-entropy with
/// class weights (balanced by default), AdamW with gradient clipping, early stopping on the validation loss keeping the
/// best epoch's weights, then accuracy, macro-F1 and the confusion matrix of those weights.
/// </summary>
public static partial class ClassificationTrainer
{
    public static ClassificationResult Train(IReadOnlyList<ClassificationSequence> sequences, ClassificationOptions options,
        Action<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Check(sequences, options) is [var first, ..]) throw first.ToException();
        var classes = sequences.Select(s => s.Label!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var targets = sequences.Select(s => classIndex[s.Label!]).ToArray();
        var covariates = sequences[0].Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        var rng = new SeededRandom(options.Seed);
        var (train, validation) = Split(targets, classes.Length, options, rng);
        var (means, scales) = FeatureStatistics(sequences, train, covariates);
        var weights = ClassWeights(classes, targets, train, options.ClassWeights);

        // The LSTM's forget-gate bias starts at 1 (a GRU has none): what the classifier always did, so its results stay the same.
        var network = new RecurrentConfig(options.Cell, 1 + covariates.Length, options.HiddenSize, options.Layers, classes.Length, options.Peepholes, options.Dropout)
            .Create(options.Seed, forgetBiasOne: true);
        var model = new SequenceClassifier(network, classes, covariates, means, scales);
        var optimizer = new AdamOptimizer(network.Parameters.Length, options.LearningRate, weightDecay: options.WeightDecay);
        var run = network.CreateWorkspace();
        var trainLosses = new List<double>();
        var validationLosses = new List<double>();
        var best = (float[])network.Parameters.Clone();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epoch = 0;
        ulong step = 0;
        while (epoch < options.Epochs)
        {
            epoch++;
            double sum = 0;
            foreach (var batch in Batches(sequences, train, options.BatchSize, rng))
            {
                cancellationToken.ThrowIfCancellationRequested();
                sum += Step(model, run, optimizer, sequences, targets, weights, batch, options, ++step) * batch.Length;
            }
            trainLosses.Add(sum / train.Length);
            double validationLoss = validation.Length > 0 ? Loss(model, sequences, targets, weights, validation) : double.NaN;
            validationLosses.Add(validationLoss);
            progress?.Invoke(new EpochProgress(epoch, options.Epochs, trainLosses[^1], validationLoss));
            // Without a validation part the last epoch is kept; with one, the best, and training stops once it is `patience` epochs old.
            double score = validation.Length > 0 ? validationLoss : -epoch;
            if (score < bestLoss)
            {
                bestLoss = score; bestEpoch = epoch;
                network.Parameters.CopyTo(best, 0);
            }
            else if (epoch - bestEpoch >= options.Patience) break;
        }
        best.CopyTo(network.Parameters, 0);
        network.ParametersChanged();

        var scored = validation.Length > 0 ? validation : train;
        var metrics = Score(model, sequences, targets, scored, classes.Length);
        var trainingAccuracy = validation.Length > 0 ? Score(model, sequences, targets, train, classes.Length).Accuracy : metrics.Accuracy;
        int missing = sequences.Sum(s => s.Values.Count(float.IsNaN) + (s.Covariates?.Values.Sum(c => c.Count(float.IsNaN)) ?? 0));
        return new ClassificationResult(model, epoch, bestEpoch, trainLosses, validationLosses, metrics, validation.Length > 0 ? "validation" : "training",
            trainingAccuracy, weights, train.Length, validation.Length, missing);
    }

    /// <summary>One optimisation step on a batch of equal-length sequences; returns its weighted cross-entropy.</summary>
    static float Step(SequenceClassifier model, IRecurrentWorkspace run, AdamOptimizer optimizer, IReadOnlyList<ClassificationSequence> sequences,
        int[] targets, float[] weights, int[] batch, ClassificationOptions options, ulong step)
    {
        var network = model.Network;
        int steps = sequences[batch[0]].Values.Length, inputs = network.Config.InputSize, k = network.Config.OutputSize;
        var x = new float[batch.Length * steps * inputs];
        var y = new int[batch.Length];
        for (int b = 0; b < batch.Length; b++)
        {
            model.Features(sequences[batch[b]], x.AsSpan(b * steps * inputs, steps * inputs));
            y[b] = targets[batch[b]];
        }
        run.Forward(x, batch.Length, steps, training: true, dropoutSeed: options.Seed ^ (step * 0x9E3779B97F4A7C15UL));
        var probabilities = new float[batch.Length * k];
        var gradient = new float[batch.Length * k];
        float loss = Losses.SoftmaxCrossEntropy(run.Output, y, weights, probabilities, gradient);
        run.Backward(gradient);
        GradientClipping.ClipByGlobalNorm(network.Gradients, options.ClipNorm);
        optimizer.Step(network.Parameters, network.Gradients);
        network.ParametersChanged();
        return loss;
    }

    /// <summary>Weighted cross-entropy of the current weights on <paramref name="part"/>.</summary>
    static double Loss(SequenceClassifier model, IReadOnlyList<ClassificationSequence> sequences, int[] targets, float[] weights, int[] part)
    {
        var probabilities = model.Probabilities(part.Select(i => sequences[i]).ToArray());
        int k = weights.Length;
        double sum = 0, total = 0;
        for (int j = 0; j < part.Length; j++)
        {
            int y = targets[part[j]];
            sum -= weights[y] * Math.Log(Math.Max(probabilities[j * k + y], 1e-30f));
            total += weights[y];
        }
        return total > 0 ? sum / total : double.NaN;
    }

    static ClassificationMetrics Score(SequenceClassifier model, IReadOnlyList<ClassificationSequence> sequences, int[] targets, int[] part, int classes)
    {
        var predictions = model.Classify(part.Select(i => sequences[i]).ToArray());
        return ClassificationMetrics.Compute(part.Select(i => targets[i]).ToArray(), predictions.Select(p => p.ClassIndex).ToArray(), classes);
    }

    /// <summary>
    /// Training and validation indices. Stratified: round(fraction × n) of each class, drawn with the seed, at least one of
    /// each class left for training. Time: the last round(fraction × N) sequences, at least one left for training.
    /// </summary>
    internal static (int[] Train, int[] Validation) Split(int[] targets, int classes, ClassificationOptions options, SeededRandom rng)
    {
        var validation = new List<int>();
        if (options.Validation == ValidationSplit.Time)
        {
            int n = Math.Min((int)Math.Round(options.ValidationFraction * targets.Length), targets.Length - 1);
            validation.AddRange(Enumerable.Range(targets.Length - n, n));
        }
        else
        {
            for (int c = 0; c < classes; c++)
            {
                var members = Enumerable.Range(0, targets.Length).Where(i => targets[i] == c).ToArray();
                rng.Shuffle(members);
                int n = Math.Min((int)Math.Round(options.ValidationFraction * members.Length), members.Length - 1);
                validation.AddRange(members.Take(n));
            }
        }
        var held = validation.ToHashSet();
        return (Enumerable.Range(0, targets.Length).Where(i => !held.Contains(i)).ToArray(), validation.Order().ToArray());
    }

    /// <summary>Mean and standard deviation of each feature's observed values in the training part (scale 1 when it is constant).</summary>
    static (float[] Means, float[] Scales) FeatureStatistics(IReadOnlyList<ClassificationSequence> sequences, int[] train, string[] covariates)
    {
        int inputs = 1 + covariates.Length;
        var means = new float[inputs];
        var scales = new float[inputs];
        for (int f = 0; f < inputs; f++)
        {
            double sum = 0, squares = 0;
            long count = 0;
            foreach (var i in train)
                foreach (var v in f == 0 ? sequences[i].Values : sequences[i].Covariates![covariates[f - 1]])
                    if (!float.IsNaN(v)) { sum += v; squares += (double)v * v; count++; }
            double mean = count > 0 ? sum / count : 0, variance = count > 1 ? Math.Max(0, (squares - count * mean * mean) / (count - 1)) : 0;
            means[f] = (float)mean;
            scales[f] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (means, scales);
    }

    /// <summary>The given weights (1 for a class not named), or balanced: N / (K · n_class) over the training part.</summary>
    internal static float[] ClassWeights(string[] classes, int[] targets, int[] train, IReadOnlyDictionary<string, float>? given)
    {
        if (given is not null) return classes.Select(c => given.TryGetValue(c, out var w) ? w : 1f).ToArray();
        var counts = new int[classes.Length];
        foreach (var i in train) counts[targets[i]]++;
        return counts.Select(n => n == 0 ? 1f : (float)train.Length / (classes.Length * n)).ToArray();
    }

    /// <summary>One epoch's minibatches: the training part grouped by length, each group shuffled and cut, the batches shuffled.</summary>
    static List<int[]> Batches(IReadOnlyList<ClassificationSequence> sequences, int[] train, int batchSize, SeededRandom rng)
    {
        var batches = new List<int[]>();
        foreach (var group in train.GroupBy(i => sequences[i].Values.Length).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            batches.AddRange(members.Chunk(batchSize));
        }
        var order = Enumerable.Range(0, batches.Count).ToArray();
        rng.Shuffle(order);
        return order.Select(i => batches[i]).ToList();
    }
}
