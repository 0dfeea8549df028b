namespace LstmService.Forecasting.Training;

/// <summary>
/// One problem with a training request found by <see cref="ForecastTrainer.Check"/>: the field's path as a request would name
/// it ("horizon", "series[2].values", "series[0].covariates.temp", "futureCovariates[1]") and what is wrong with it.
/// <paramref name="ActualValue"/> is set for an option out of its bounds.
/// </summary>
public sealed record TrainingProblem(string Field, string Message, object? ActualValue = null)
{
    /// <summary>What <see cref="ForecastTrainer.Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> throws for it:
    /// an <see cref="ArgumentOutOfRangeException"/> for an option out of bounds, else an <see cref="ArgumentException"/>; ParamName is <see cref="Field"/>.</summary>
    public ArgumentException ToException() => ActualValue is null
        ? new ArgumentException(Message, Field)
        : new ArgumentOutOfRangeException(Field, Message); // the message already says what the value was
}
