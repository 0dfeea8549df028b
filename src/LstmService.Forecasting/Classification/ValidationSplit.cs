namespace LstmService.Forecasting.Classification;

/// <summary>How a classification run keeps its validation part.</summary>
public enum ValidationSplit
{
    /// <summary>The same share of every class, drawn with the run's seed (sequences are exchangeable).</summary>
    Stratified,
    /// <summary>The last sequences in the order given (they are in time order; no sequence is judged by later ones).</summary>
    Time,
}
