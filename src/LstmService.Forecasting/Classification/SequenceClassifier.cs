using System.Collections.Concurrent;
using LstmService.Forecasting.Models;
using LstmService.Kernels;

namespace LstmService.Forecasting.Classification;

/// <summary>
/// A trained sequence classifier: a recurrent network reads a sequence (its values and covariates, each standardised with
/// the training part's mean and standard deviation, a missing value read as the mean) and its head maps the last hidden
/// state to one logit per class; the softmax of the logits is the answer. Sequences of different lengths are never padded:
/// a batch is cut into groups of equal length, so a sequence's probabilities are the same alone or with any others.
/// </summary>
public sealed partial class SequenceClassifier : IServedModel
{
    /// <summary>Sequences per network pass: bounds the workspace a long request grows.</summary>
    const int Chunk = 256;
    const int PooledRuns = 2;

    readonly string[] _classes, _covariates;
    readonly float[] _means, _scales;
    readonly ConcurrentBag<IRecurrentWorkspace> _runs = new();

    internal SequenceClassifier(IRecurrentNetwork network, string[] classes, string[] covariates, float[] means, float[] scales)
    {
        var c = network.Config;
        if (c.OutputSize != classes.Length) throw new ArgumentException($"The head has {c.OutputSize} outputs for {classes.Length} classes.", nameof(classes));
        if (c.InputSize != 1 + covariates.Length || means.Length != c.InputSize || scales.Length != c.InputSize)
            throw new ArgumentException("The network's inputs, the covariates and the feature statistics disagree.", nameof(covariates));
        Network = network;
        _classes = classes; _covariates = covariates; _means = means; _scales = scales;
    }

    /// <summary>Either cell's network; its dense head maps the last hidden state to one logit per class [B, K].</summary>
    internal IRecurrentNetwork Network { get; }

    /// <summary>Class labels in the order of the head's outputs (ordinal order).</summary>
    public IReadOnlyList<string> Classes => _classes;
    /// <summary>Covariates read after the values, in input order.</summary>
    public IReadOnlyList<string> Covariates => _covariates;
    /// <summary>Per input feature (the values, then each covariate): the mean subtracted and the scale divided by.</summary>
    public IReadOnlyList<float> FeatureMeans => _means;
    public IReadOnlyList<float> FeatureScales => _scales;

    public int InputSize => Network.Config.InputSize;
    public int HiddenSize => Network.Config.HiddenSize;
    public int Layers => Network.Config.Layers;
    public bool Peepholes => Network.Config.Peepholes;
    public float Dropout => Network.Config.Dropout;
    public long ParameterCount => Network.Parameters.LongLength;
    /// <summary>The recurrent cell, LSTM or GRU.</summary>
    public RecurrentCell Cell => Network.Config.Cell;

    /// <summary>
    /// Class probabilities of each sequence. Throws <see cref="ArgumentException"/> whose ParamName is the sequence's field
    /// ("sequences[2].covariates.temp") when it lacks a covariate, has one of another length or has no values.
    /// </summary>
    public IReadOnlyList<ClassPrediction> Classify(IReadOnlyList<ClassificationSequence> sequences, CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < sequences.Count; i++) CheckInput(sequences[i], i);
        var probabilities = Probabilities(sequences, cancellationToken);
        int k = _classes.Length;
        var result = new ClassPrediction[sequences.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var p = probabilities.AsSpan(i * k, k).ToArray();
            int best = 0;
            for (int c = 1; c < k; c++) if (p[c] > p[best]) best = c;
            result[i] = new ClassPrediction(_classes[best], best, p);
        }
        return result;
    }

    /// <summary>What a sequence without the covariate <paramref name="name"/> that the model reads is told.</summary>
    public static string MissingCovariate(string name) => $"The model reads covariate '{name}'; this sequence lacks it.";

    void CheckInput(ClassificationSequence s, int i)
    {
        if (s.Values is not { Length: > 0 }) throw new ArgumentException("A sequence needs at least one value.", $"sequences[{i}].values");
        foreach (var name in _covariates)
        {
            if (s.Covariates is null || !s.Covariates.TryGetValue(name, out var c))
                throw new ArgumentException(MissingCovariate(name), $"sequences[{i}].covariates.{name}");
            if (c.Length != s.Values.Length)
                throw new ArgumentException($"Has {c.Length} values; the sequence has {s.Values.Length}.", $"sequences[{i}].covariates.{name}");
        }
        if (s.Covariates is not null)
            foreach (var name in s.Covariates.Keys)
                if (Array.IndexOf(_covariates, name) < 0)
                    throw new ArgumentException($"The model reads no covariate '{name}' (it reads: {(_covariates.Length == 0 ? "none" : string.Join(", ", _covariates))}).",
                        $"sequences[{i}].covariates.{name}");
    }

    /// <summary>Softmax probabilities [N, K] of checked sequences: equal lengths share a pass, in chunks of at most <see cref="Chunk"/>.</summary>
    internal float[] Probabilities(IReadOnlyList<ClassificationSequence> sequences, CancellationToken cancellationToken = default)
    {
        int k = _classes.Length, inputs = Network.Config.InputSize;
        var result = new float[sequences.Count * k];
        if (!_runs.TryTake(out var run)) run = Network.CreateWorkspace();
        try
        {
            foreach (var group in Enumerable.Range(0, sequences.Count).GroupBy(i => sequences[i].Values.Length))
            {
                int steps = group.Key;
                foreach (var chunk in group.Chunk(Chunk))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var x = new float[chunk.Length * steps * inputs];
                    for (int b = 0; b < chunk.Length; b++) Features(sequences[chunk[b]], x.AsSpan(b * steps * inputs, steps * inputs));
                    run.Infer(x, chunk.Length, steps);
                    for (int b = 0; b < chunk.Length; b++)
                        Losses.Softmax(run.Output.Slice(b * k, k), result.AsSpan(chunk[b] * k, k));
                }
            }
        }
        finally
        {
            if (_runs.Count < PooledRuns) _runs.Add(run);
        }
        return result;
    }

    /// <summary>One sequence's inputs [T, I]: each feature standardised, a missing value (NaN) read as the mean (0).</summary>
    internal void Features(ClassificationSequence s, Span<float> destination)
    {
        int steps = s.Values.Length, inputs = Network.Config.InputSize;
        for (int f = 0; f < inputs; f++)
        {
            var source = f == 0 ? s.Values : s.Covariates![_covariates[f - 1]];
            float mean = _means[f], inv = 1f / _scales[f];
            for (int t = 0; t < steps; t++)
            {
                float v = source[t];
                destination[t * inputs + f] = float.IsNaN(v) ? 0f : (v - mean) * inv;
            }
        }
    }

    /// <summary>
    /// Parameters, their packed copy and the pooled runs' buffers for a chunk of sequences of 512 steps (longer requests
    /// grow them): inference keeps every step's input and hidden states but only one step's gates and cells.
    /// </summary>
    public long EstimatedBytes
    {
        get
        {
            long parameters = Network.Parameters.LongLength * sizeof(float);
            var c = Network.Config;
            long rows = Chunk * 512L, h = c.HiddenSize;
            long perRow = c.InputSize + c.Layers * h;
            long run = (rows * perRow + Chunk * (c.OutputSize + 12L * c.Layers * h)) * sizeof(float);
            return 2 * parameters + PooledRuns * run + 64 * 1024;
        }
    }
}
