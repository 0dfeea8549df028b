using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A glitch after the history's head (one value far off, the next one back) is read as the members expected it, once the
/// value after it shows it was one (<see cref="SeriesState.Held"/>); a change of level, a season's peak and the last value
/// are read as given, and a stream and a one-off forecast still agree bit for bit.
/// </summary>
public class HeldGlitchTests
{
    static float[] Flat(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(_ => 50 + 2 * (float)rng.NextGaussian()).ToArray();
    }

    static float[] Monthly(int length, ulong seed, float peak = 0)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length)
            .Select(t => 200 + 10 * MathF.Sin(2 * MathF.PI * t / 12) + (t % 12 == 11 ? peak : 0) + 3 * (float)rng.NextGaussian()).ToArray();
    }

    /// <summary>A value on the model's scale, as its state holds it.</summary>
    static Func<float, float> Scaled(ForecastModel model) => v => model.Transform == Statistics.SeriesTransform.Log ? MathF.Log(v) : v;

    static ForecastModel Train(float[] series, int horizon) =>
        ForecastTrainer.Train([series], new TrainingOptions { Horizon = horizon, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;

    [Theory]
    [InlineData(148)] // two from the end: the network's and the highway's window (a QA pass: forecast 190-390 for values about 50)
    [InlineData(140)]
    [InlineData(100)] // in the training part
    public void A_glitch_in_a_flat_history_leaves_the_forecast_at_its_level(int at)
    {
        var series = Flat(150, 1);
        series[at] = 5000;
        var model = Train(series, 6);
        var forecast = model.Forecast([series])[0];
        Assert.All(forecast.Mean, v => Assert.InRange(v, 45f, 55f));
        Assert.All(forecast.Quantiles[0.9f], v => Assert.InRange(v, 45f, 80f));
    }

    [Theory]
    [InlineData(1e6f)]
    [InlineData(1e10f)]
    public void A_glitch_far_beyond_the_history_leaves_a_live_networks_forecast_and_intervals(float glitch)
    {
        // A unit floored by the glitch as given (a ten-thousandth of it) had let the network's correction swamp the forecast:
        // a mean of 0 once clamped, and intervals 750,000 wide for a history about 50 (a QA pass, over HTTP).
        var rng = new SeededRandom(7);
        var series = Enumerable.Range(0, 700).Select(t => 50 + 10 * MathF.Sin(2 * MathF.PI * t / 24) + 2 * (float)rng.NextGaussian()).ToArray();
        var model = ForecastTrainer.Train([series[..600]], new TrainingOptions { Horizon = 6, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42, SeasonCandidates = [24] }).Model;
        Assert.True(model.CorrectionScale > 0, "the network corrects the members");
        var clean = model.Forecast([series])[0];
        var history = series.ToArray();
        history[^30] = glitch;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 6; t++)
        {
            Assert.InRange(forecast.Mean[t], clean.Mean[t] - 3f, clean.Mean[t] + 3f);
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_typo_among_a_flat_historys_first_values_leaves_its_intervals(int at)
    {
        // A flat series' members read its whole history as their head (the smoothing's α near 0), so no value of it is
        // fixed yet: the unit is recounted without the head's spikes at each forecast.
        var model = Train(Flat(150, 1), 6);
        var history = Flat(60, 2);
        var clean = model.Forecast([history])[0];
        history[at] = 5000;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 6; t++)
        {
            Assert.InRange(forecast.Mean[t], clean.Mean[t] - 2f, clean.Mean[t] + 2f);
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_typo_among_a_random_walks_first_values_leaves_its_intervals(int at)
    {
        // A random walk's smoothing follows each value (α near 1), so its head is a few values, fixed early: the unit is
        // recounted without the head's spikes then, once, in a stream as in a one-off forecast.
        var rng = new SeededRandom(5);
        var walk = new float[260];
        walk[0] = 1000;
        for (int t = 1; t < walk.Length; t++) walk[t] = walk[t - 1] + 10 * (float)rng.NextGaussian();
        var model = Train(walk[..200], 6);
        var history = walk[60..];
        var clean = model.Forecast([history])[0];
        history[at] *= 50;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 6; t++)
        {
            Assert.InRange(forecast.Mean[t], 0.98f * clean.Mean[t], 1.02f * clean.Mean[t]);
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
        var stream = model.NewState(history[..100]);
        foreach (var v in history[100..]) model.Append(stream, v);
        Assert.Equal(forecast.Quantiles[0.9f], model.Forecast(stream).Quantiles[0.9f]);
    }

    [Fact]
    public void A_typo_in_the_last_season_does_not_come_back_a_season_later()
    {
        // A QA pass: a monthly series about 200 with a typo of 2,000 eleven months before its end was forecast 285 two
        // steps on and up to about 1,000 at the 0.9 quantile, where its seasonal naive forecast is 190-210. Here the typo is
        // in the history forecast from, not in what the model was trained on.
        var series = Monthly(96, 4);
        var model = Train(series, 12);
        var history = Monthly(108, 4);
        history[97] = 2000;
        var forecast = model.Forecast([history])[0];
        Assert.All(forecast.Mean, v => Assert.InRange(v, 180f, 225f));
        Assert.All(forecast.Quantiles[0.9f], v => Assert.InRange(v, 180f, 300f));
    }

    [Fact]
    public void A_typo_in_the_last_season_of_the_training_series_is_not_fitted()
    {
        // The same typo in what the model is trained on: the members' spikes are told by a season's changes, which the last
        // season lacks, so it is fitted as given; read as given in the history forecast from too, the forecast had reached
        // 300-860. (Telling the last season's spikes by their one-step changes in the fit as well was measured and not kept:
        // this passes without it, and the fifth suite's W226 went from 1.118 to 1.149.)
        var series = Monthly(96, 4);
        series[85] = 2000;
        var model = Train(series, 12);
        var forecast = model.Forecast([series])[0];
        Assert.All(forecast.Mean, v => Assert.InRange(v, 170f, 240f));
    }

    [Fact]
    public void A_change_of_level_and_a_last_value_are_read_as_given()
    {
        var series = Flat(150, 2);
        var model = Train(series, 4);
        // Up by 100 for the last five values: a new level, not five glitches (the first of them is one step up, and stays).
        var shifted = series.Select((v, t) => t >= 145 ? v + 100 : v).ToArray();
        var state = model.NewState(shifted);
        Assert.Equal(shifted[^(state.Tail.Count + 1)..^1].Select(Scaled(model)), state.Tail);
        // Only the last value far off: nothing after it tells a glitch from a change, so it is read as given.
        var last = (float[])series.Clone();
        last[^1] = 5000;
        var asGiven = model.NewState(last);
        Assert.Equal(Scaled(model)(5000f), asGiven.Held);
        Assert.True(model.Forecast([last])[0].Mean[0] > 60, "the last value was replaced");
    }

    [Fact]
    public void A_season_peak_that_recurs_stays()
    {
        // Each December 60 above the season: the smoothing expects it, so it is no glitch.
        var series = Monthly(96, 5, peak: 60);
        var model = Train(series, 12);
        var state = model.NewState(series);
        // Every value the network and the highway read is the one given (the last, held, too).
        Assert.Equal(series[^(state.Tail.Count + 1)..^1].Select(Scaled(model)), state.Tail);
        Assert.Equal(Scaled(model)(series[^1]), state.Held);
        var forecast = model.Forecast([series])[0];
        int december = Enumerable.Range(0, 12).First(h => (series.Length + h) % 12 == 11);
        Assert.True(forecast.Mean[december] > forecast.Mean.Where((_, h) => h != december).Max() + 30, "December's peak was not forecast");
    }

    [Fact]
    public void A_stream_and_a_one_off_forecast_agree_through_a_glitch_and_an_export()
    {
        var series = Flat(150, 3);
        series[120] = 4000;
        series[146] = 1;
        var model = Train(series[..100], 4);
        var stream = model.NewState(series[..60]);
        foreach (var v in series[60..]) model.Append(stream, v);
        var oneOff = model.NewState(series);
        Assert.Equal(oneOff.Held, stream.Held);
        Assert.Equal(oneOff.Tail.TakeLast(model.InputWindow), stream.Tail.TakeLast(model.InputWindow));
        Assert.Equal(model.Forecast([series])[0].Mean, model.Forecast(stream).Mean);
        // Both glitches (4,000 and 1 among values about 50) are read as the members expected them.
        Assert.DoesNotContain(stream.Tail.TakeLast(30), v => Math.Abs(v - Scaled(model)(50)) > Math.Abs(Scaled(model)(70) - Scaled(model)(50)));

        // The held value survives the state's JSON, and the stream goes on as if it had not been exported.
        var imported = JsonSerializer.Deserialize<SeriesState>(JsonSerializer.Serialize(stream))!;
        Assert.Equal(stream.Held, imported.Held);
        model.Append(stream, 51);
        model.Append(imported, 51);
        Assert.Equal(model.Forecast(stream).Mean, model.Forecast(imported).Mean);
    }

    /// <summary>A monthly season of amplitude 10 about 50 with noise of 2, and glitches of 5,000 at <paramref name="glitches"/>.</summary>
    static float[] SeasonalWithGlitches(int length, ulong seed, params int[] glitches)
    {
        var rng = new SeededRandom(seed);
        var series = Enumerable.Range(0, length).Select(t => 50 + 10 * MathF.Sin(2 * MathF.PI * t / 12) + 2 * (float)rng.NextGaussian()).ToArray();
        foreach (int t in glitches) series[t] = 5000;
        return series;
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 3 })] // in the history's first season: the members' initial states had read it (0 to 1,300)
    [InlineData(new[] { 7, 32 })] // two, as in the training series' own last 48 values (15-22, the median 0)
    [InlineData(new[] { 20 })]
    public void Glitches_in_the_training_series_and_the_history_leave_the_forecast_at_its_level(int[] glitches)
    {
        // A QA pass: three glitches of 5,000 among 96 values about 50 had made the unit (the mean absolute step) 60 times the
        // series' usual step. A history's glitches, or their absence, then moved the forecast through the highway's
        // intercept and the intervals' width in that unit, and a glitch among its first values set the members' states.
        var model = ForecastTrainer.Train([SeasonalWithGlitches(96, 3, 30, 55, 80)],
            new TrainingOptions { Horizon = 6, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        var clean = model.Forecast([SeasonalWithGlitches(96, 3)[^48..]])[0];
        var history = SeasonalWithGlitches(96, 3)[^48..];
        foreach (int t in glitches) history[t] = 5000;
        var forecast = model.Forecast([history])[0];
        // The season's next six values lie between 50 and 60.
        Assert.All(forecast.Mean, v => Assert.InRange(v, 45f, 65f));
        Assert.All(forecast.Quantiles[0.1f], v => Assert.InRange(v, 35f, 65f));
        Assert.All(forecast.Quantiles[0.9f], v => Assert.InRange(v, 45f, 75f));
        for (int t = 0; t < forecast.Mean.Length; t++) Assert.InRange(forecast.Mean[t], clean.Mean[t] - 2f, clean.Mean[t] + 2f);
    }

    [Fact]
    public void A_glitch_counts_in_the_unit_as_it_is_read()
    {
        // The scaling's unit (the mean absolute step) of a history counts a glitch as the value it is read as, as training
        // measured its series' unit without its spikes; so does its floor (a ten-thousandth of the largest value read).
        var series = SeasonalWithGlitches(96, 3, 40);
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 6, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        var history = SeasonalWithGlitches(96, 3, 60);
        var withGlitch = model.NewState(history).Scale;
        var without = model.NewState(SeasonalWithGlitches(96, 3)).Scale;
        Assert.InRange(withGlitch.Result().Scale, 0.9f * without.Result().Scale, 1.1f * without.Result().Scale);
        Assert.InRange(withGlitch.Magnitude, 0.9 * without.Magnitude, 1.1 * without.Magnitude);
        Assert.True(withGlitch.Magnitude < Scaled(model)(5000f));
    }

    [Fact]
    public void The_highway_is_fitted_without_the_spikes_far_enough_to_lever_it()
    {
        // A spike farther than ForecastTrainer.HighwaySpikeSteps of the series' unit from what it is read as is replaced in
        // what the highway is fitted on (it would lever its least squares); a nearer one (a week's event) stays.
        var filled = Enumerable.Range(0, 40).Select(t => (float)t).ToArray();
        filled[10] = 500;
        filled[20] = 35;
        var raw = (float[])filled.Clone();
        raw[30] = float.NaN;
        var cleaned = filled.Select((v, t) => (double)(t is 10 or 20 ? t : v)).ToArray();
        var part = ForecastTrainer.WithoutFarSpikes(new SeriesPart(raw, filled, 0, 40, 0, 1), cleaned);
        Assert.Equal(10f, part.Filled[10]);
        Assert.Equal(10f, part.Raw[10]);
        Assert.Equal(35f, part.Filled[20]);
        Assert.True(float.IsNaN(part.Raw[30]));
        Assert.Equal(500f, filled[10]); // the series itself is left as it was
    }

    /// <summary>300 days about 200, each weekend 80 higher, with noise of 10 (a QA pass's shop).</summary>
    static float[] Weekly(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => 200 + (t % 7 is 5 or 6 ? 80 : 0) + 10 * (float)rng.NextGaussian()).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_typo_among_a_historys_first_values_leaves_the_forecast_as_it_was(int at)
    {
        // A QA pass: a typo of 50 times the level as the first of 70 daily values was forecast as zeros (the smoothing's
        // initial season and level, and the autoregression's drift from the first value, read it), and a stream opened on
        // such a history forecast so for good.
        var series = Weekly(300, 1);
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        var history = series[^70..];
        var clean = model.Forecast([history])[0];
        history[at] *= 50;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 7; t++) Assert.InRange(forecast.Mean[t], 0.95f * clean.Mean[t], 1.05f * clean.Mean[t]);
        // Nor the intervals: the unit they are measured in leaves the head's spikes out, as training's left its series'.
        for (int t = 0; t < 7; t++)
        {
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
        var stream = model.NewState(history);
        var next = Weekly(314, 1)[300..];
        foreach (var v in next) model.Append(stream, v);
        var streamed = model.Forecast(stream);
        Assert.All(streamed.Mean, v => Assert.InRange(v, 170f, 320f));
        // The same unit value by value as over the whole history.
        var whole = model.Forecast([[.. history, .. next]])[0];
        Assert.Equal(whole.Mean, streamed.Mean);
        Assert.Equal(whole.Quantiles[0.9f], streamed.Quantiles[0.9f]);
    }

    [Fact]
    public void Intermittent_demand_is_read_as_given()
    {
        // A QA pass: demand in about a sixth of 120 periods (1 to 6 units, zeros between), the last twenty averaging 0.85,
        // was forecast at 0.15 with a backtest coverage of 0.01. Judged against the unit that leaves glitches out, the first
        // demand after a run of zeros met a unit of zero, was read as a glitch, and each demand read so shrank the unit
        // for the next; glitches are judged in the steps of the values as given now.
        var rng = new SeededRandom(7);
        var demand = Enumerable.Range(0, 120).Select(_ => rng.NextFloat() < 0.15 ? (float)(1 + Math.Floor(rng.NextFloat() * 6)) : 0f).ToArray();
        var model = Train(demand, 12);
        var state = model.NewState(demand);
        Assert.Equal(demand[^(state.Tail.Count + 1)..^1], state.Tail);
        Assert.InRange(model.Forecast([demand])[0].Mean.Average(), 0.3f, 1.2f);
    }

    [Fact]
    public void Typos_across_the_training_series_its_first_season_included_leave_its_season()
    {
        // A QA pass: four typos (three times ten, one a tenth) among 72 monthly values with a season of a fifth of the level
        // and growth; those in the first and last seasons stayed in what the members were fitted on (a spike there has no
        // value a season before or after), the smoothing and theta chose no season and the forecast was flat at about 124
        // where the year ran 118-180.
        var rng = new SeededRandom(2);
        var series = Enumerable.Range(0, 84).Select(t => (float)(100 * Math.Pow(1.005, t) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / 12)) * (1 + 0.03 * rng.NextGaussian()))).ToArray();
        var typos = series[..72].ToArray();
        typos[10] *= 10; typos[25] *= 10; typos[45] /= 10; typos[60] *= 10;
        var model = ForecastTrainer.Train([typos], new TrainingOptions { Horizon = 12, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, SeasonCandidates = [12] }).Model;
        Assert.Equal(12, model.Statistics!.Smoothing.Season);
        Assert.Equal(12, model.Statistics.Theta.Season);
        // The forecast follows the season: its peak months (the third to the fifth) lie above its trough (the ninth and tenth).
        var forecast = model.Forecast([typos])[0];
        Assert.True(forecast.Mean[2..5].Min() > forecast.Mean[8..10].Max() + 25, string.Join(", ", forecast.Mean));
        double error = forecast.Mean.Select((v, t) => Math.Abs(v - series[72 + t])).Average();
        Assert.True(error < 12, $"mean absolute error {error:F1} over a year about 150");
    }

    [Fact]
    public void The_given_steps_count_each_step_once_and_old_states_fall_back_to_the_steps_as_read()
    {
        // The first step had been counted twice in the sum the glitches are judged against (the fallback for a state
        // stored without that sum already held it).
        var scale = ScaleAccumulator.Create(ScalingMode.WindowLevel);
        foreach (var v in new[] { 0f, 1f, 3f, 3f }) scale.Add(v);
        Assert.Equal(1.0, scale.GivenScale(), 9);
        Assert.Equal(1, scale.FlatGivenSteps);
        Assert.False(scale.MostlyFlat());
        // A glitch read as another value: the unit counts it as read, the given steps as given.
        scale.Add(4f, given: 40f);
        Assert.Equal(4.0 / 4, scale.Result().Scale, 6);
        Assert.Equal((3.0 + 37) / 4, scale.GivenScale(), 9);
        // A state stored before the given sums were kept goes on from its sums as read.
        var old = new ScaleAccumulator { Mode = ScalingMode.WindowLevel, Count = 3, Previous = 3, SumAbsSteps = 3, Magnitude = 3 };
        Assert.Null(old.Problem(ScalingMode.WindowLevel));
        old.Add(5f);
        Assert.Equal(5.0 / 3, old.GivenScale(), 9);
    }

    [Fact]
    public void A_typo_among_an_hourly_historys_first_values_is_not_copied_a_day_later()
    {
        // A review: a glitch among the first values, read as given, had become the season's change the next day's value
        // was judged by, so a good value a season later was read as a glitch and replaced by its copy, every day of the head.
        var rng = new SeededRandom(3);
        var series = Enumerable.Range(0, 24 * 20).Select(t => 100 + 30 * MathF.Sin(2 * MathF.PI * t / 24) + 3 * (float)rng.NextGaussian()).ToArray();
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 24, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42, SeasonCandidates = [24] }).Model;
        var history = series[^(24 * 6)..];
        var clean = model.Forecast([history])[0];
        history[2] *= 50;
        var state = model.NewState(history);
        Assert.DoesNotContain(state.Tail, v => v > 200);
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 24; t++) Assert.InRange(forecast.Mean[t], clean.Mean[t] - 10, clean.Mean[t] + 10);
    }
}
