using LstmService.Registry;

namespace LstmService.Models;

/// <summary>Loss curve summary; null where a loss was not finite (for example no validation part).</summary>
/// <param name="InitialTrainLoss">Training loss of the first epoch.</param>
/// <param name="FinalTrainLoss">Training loss of the last epoch run.</param>
/// <param name="TrainLossAtBestEpoch">Training loss of the epoch whose weights were kept.</param>
/// <param name="BestValidationLoss">Lowest validation loss.</param>
/// <param name="FinalValidationLoss">Validation loss of the last epoch run.</param>
public sealed record LossSummaryResponse(double? InitialTrainLoss, double? FinalTrainLoss, double? TrainLossAtBestEpoch, double? BestValidationLoss, double? FinalValidationLoss)
{
    public static LossSummaryResponse From(LossSummary l) =>
        new(l.InitialTrainLoss, l.FinalTrainLoss, l.TrainLossAtBestEpoch, l.BestValidationLoss, l.FinalValidationLoss);
}
