using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

// Which seasons a training run uses: detected per series (and voted on in a model of several), the one the window is sized
// around, the one the model reports, and where theta alone must carry a season too short for the other members.
public static partial class ForecastTrainer
{
    /// <summary>
    /// Season lengths: the one given, else those the series' training parts show (see <see cref="SeasonDetector"/>) among
    /// the candidates their frequency suggests, or among all candidates when the frequency is unknown. With several series,
    /// a season counts where at least <see cref="SeasonVoteShare"/> of the series long enough to test it show it (the
    /// longest <see cref="SeasonVoters"/> series vote), the most shown first. It had been the longest series' alone: one
    /// non-seasonal series a value longer than seven weekly ones took the season from all of them (a QA pass: a clean
    /// weekly series forecast at 12.8 times a seasonal naive forecast's error).
    /// </summary>
    internal static IReadOnlyList<int> Seasons(SeriesSet set, TrainingOptions options)
    {
        if (options.SeasonLength > 0) return options.SeasonLength >= 2 ? [options.SeasonLength] : [];
        var voters = Enumerable.Range(0, set.Count).OrderByDescending(i => set.ValidationStart[i]).ThenBy(i => i).Take(SeasonVoters).ToArray();
        if (voters.Length == 1) return SeasonsOf(set, voters[0], options);
        var shown = voters.Select(i => SeasonsOf(set, i, options)).ToArray();
        var candidates = shown.SelectMany(found => found).Distinct().ToList(); // in the order the longest series show them
        var votes = candidates.ToDictionary(c => c, c => shown.Count(found => found.Contains(c)));
        return [.. candidates.Where(c => votes[c] >= Math.Max(1, Math.Ceiling(SeasonVoteShare * voters.Count(i => SeasonDetector.TwoPeriodsHeld(c, set.Raw[i].Length)))))
            .OrderByDescending(c => votes[c])];
    }

    /// <summary>The share of the series able to test a season that must show it, in a model of several series.</summary>
    internal const double SeasonVoteShare = 0.2;

    /// <summary>The longest series whose seasons a model of several series reads (detection reads each whole).</summary>
    internal const int SeasonVoters = 100;

    /// <summary>The seasons series <paramref name="i"/>'s training part shows (and, for candidates too long for it, its whole length).</summary>
    static IReadOnlyList<int> SeasonsOf(SeriesSet set, int i, TrainingOptions options)
    {
        var candidates = options.SeasonCandidates ?? SeasonDetector.Candidates;
        var whole = Array.ConvertAll(set.Filled[i], v => (double)v);
        int trainingLength = set.ValidationStart[i];
        var seasons = SeasonDetector.Detect(whole.AsSpan(0, trainingLength), candidates, StepsRelative(set));
        // A candidate the training part holds too few periods of to be tested (2.5) is tested on the whole series when it
        // holds enough: 36 monthly values with a horizon of 6 keep 29 for training, and their season had gone untested, the
        // forecast twice as far off as a seasonal naive one. Candidates the training part can test are still tested there.
        // One the whole series holds only two periods of is tested by its seasonal strength alone, which a multiple of a
        // season found holds too: 48 months beside a quarterly season had passed in 98 values of industrial production.
        // So is every candidate where the training part is shorter than any test reads (SeasonDetector.MinimumLength): 14
        // quarterly values with a horizon of 4 keep 10.
        var untested = candidates.Where(c => (!SeasonDetector.Testable(c, trainingLength) || trainingLength < SeasonDetector.MinimumLength) && SeasonDetector.TwoPeriodsHeld(c, whole.Length)
            && (SeasonDetector.Testable(c, whole.Length) || !seasons.Any(found => c % found == 0))).ToArray();
        if (untested.Length == 0) return seasons;
        var wholeSeasons = SeasonDetector.Detect(whole, candidates, StepsRelative(set));
        var late = wholeSeasons.Where(untested.Contains).ToList();
        // A season the training part showed only because it could not yet test its neighbour (48 weeks before 52 is testable)
        // gives way where the whole series shows the neighbour instead: weekly values of a yearly season over three and a
        // half years had been forecast with a season of 48 in half the series, a fifth worse than a seasonal naive forecast.
        var kept = seasons.Where(s => wholeSeasons.Contains(s) || !late.Any(l => SeasonDetector.Neighbours(s, l)));
        return [.. kept.Concat(late).Distinct()];
    }

    /// <summary>
    /// The season the window is chosen around: the first of <paramref name="seasons"/>, else the autocorrelation's cycle
    /// (lynx's ten years), unless the request said there is none (<see cref="TrainingOptions.SeasonLength"/> 1). The model
    /// reports the first of <paramref name="seasons"/> alone (<see cref="ReportedSeason"/>).
    /// </summary>
    internal static int WindowSeason(SeriesSet set, TrainingOptions options, IReadOnlyList<int> seasons) =>
        seasons.Count > 0 ? seasons[0] : options.SeasonLength == 1 ? 1 : set.DetectSeason();

    /// <summary>
    /// The season the model reports, and the backtest's and a stream's seasonal naive repeat: the first of
    /// <paramref name="seasons"/>, else 1. A cycle without a season (lynx's, or the one the autocorrelation of noise peaks
    /// at) sizes the window but is no period a forecast can repeat: white noise had reported 12 and been scored against a
    /// seasonal naive of 12 steps.
    /// </summary>
    internal static int ReportedSeason(IReadOnlyList<int> seasons) => seasons.Count > 0 ? seasons[0] : 1;

    /// <summary>
    /// <see cref="StatisticalEnsemble.ThetaWeight"/> where theta alone repeats a season found on fewer than two and a half periods of the
    /// whole series, or fewer than three where the season is strong in the whole series less its periods' trend
    /// (<see cref="SeasonDetector.StrongOverPeriods"/>), else null. There (two years of monthly sales) the smoothing cannot fit a season or its AICc's penalty
    /// for twelve more states rules one out, the autoregression has no seasonal lag and the highway's window is shorter
    /// than the period, while the season found explains most of the detrended variance (<see cref="SeasonDetector"/>). Theta repeats it
    /// where the members' fitting part holds two periods, or, with a validation part held out, once it is fitted again on
    /// the whole series. Mixed with the others, whose errors on windows too short to hold a season say nothing of it,
    /// theta's season had been diluted to a quarter or lost.
    /// </summary>
    internal static int? SoleSeasonal(SeriesSet set, TrainingOptions options, StatisticalEnsemble statistics, LinearHighway? highway, IReadOnlyList<int> seasons)
    {
        // The default recipe only: a recursive model, or one whose network does not correct the members, keeps its weights by
        // the errors (its calibration is neither recomputed on the whole series nor widened by the final prediction error).
        if (seasons.Count == 0 || set.Count != 1 || options.Strategy != ForecastStrategy.Direct || !options.CorrectStatistics) return null;
        int m = seasons[0];
        // The whole series too: on three periods or more the season was tested as on longer series, and the mix's weights
        // judge it as they do there (sunspot areas' last 36 years, whose cycle of eleven passed as a 12, went from 1.272 to
        // 3.058 with theta alone). From two and a half, the smoothing still cannot afford twelve more states, but the season
        // must be strong in the whole series as on two periods: 30 months of wine sales, the season mixed with members that
        // cannot repeat it, had been forecast at twice a seasonal naive forecast's error.
        // Measured on what theta is fitted on (without spikes, as ThetaMethod.SeasonOf tests it); against the neighbouring
        // periods only where the season was found among several candidates, not given.
        int length = set.Raw[0].Length;
        if (length >= 3 * m) return null;
        bool peak = options.SeasonLength <= 0 && (options.SeasonCandidates ?? SeasonDetector.Candidates).Count() > 1;
        List<double[]>? whole = null;
        List<double[]> Whole() => whole ??= FittedParts(set, heldOut: false, seasons);
        if (SeasonDetector.Testable(m, length) && !SeasonDetector.StrongOverPeriods(Whole()[0], m, peak))
            return null;
        if (statistics.Smoothing.Season > 1 || statistics.Autoregression.Lags.Any(l => l % m == 0) || (highway is not null && highway.Orders.Any(o => o >= m)))
            return null;
        bool carried = statistics.Theta.Season == m
            || (set.HasValidation && options.Refit && ThetaMethod.SeasonOf(Whole(), m) == m);
        return carried ? StatisticalEnsemble.ThetaWeight : null;
    }
}
