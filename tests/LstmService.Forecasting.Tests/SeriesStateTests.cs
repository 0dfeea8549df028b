using LstmService.Kernels;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A series' state extended value by value (what a stream keeps) forecasts exactly what a one-off forecast of the whole
/// history does: bit for bit, through gaps (inside the series, trailing, and covariates' own), the members' short-history
/// start, a JSON round trip of the state, and every scaling, transform and strategy.
/// </summary>
public class SeriesStateTests
{
    static readonly TrainingOptions Small = new() { InputWindow = 12, Horizon = 4, HiddenSize = 4, Epochs = 2, Patience = 2, Ensemble = 1, Seed = 7 };
    static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>A positive, growing, seasonal series (period 12) with noise: the log transform and every member apply.</summary>
    static float[] Seasonal(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(t => (float)((20 + 0.05 * t) * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 12)) + random.NextDouble())).ToArray();
    }

    /// <summary>Where the stream gets nulls: a short gap, a longer one, and a trailing one left open at a forecast.</summary>
    static readonly int[] Gaps = [45, 46, 47, 70, 71, 72, 73, 74, 99];

    static void AssertSame(SeriesForecast expected, SeriesForecast actual, string where)
    {
        Assert.True(Bits(expected.Mean).SequenceEqual(Bits(actual.Mean)), $"mean differs at {where}: {string.Join(",", expected.Mean)} vs {string.Join(",", actual.Mean)}");
        foreach (var (level, band) in expected.Quantiles)
            Assert.True(Bits(band).SequenceEqual(Bits(actual.Quantiles[level])), $"quantile {level} differs at {where}");
    }

    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    static IEnumerable<object[]> Configurations() =>
    [
        ["default (log, season, statistics)", Small],
        ["no transform, series z-score", Small with { Transform = SeriesTransform.None, Scaling = ScalingMode.SeriesZScore }],
        ["robust scaling", Small with { Transform = SeriesTransform.None, Scaling = ScalingMode.SeriesRobust }],
        ["recursive", Small with { Strategy = ForecastStrategy.Recursive, Transform = SeriesTransform.None }],
        ["network and highway only", Small with { Statistics = false }],
    ];

    public static TheoryData<string> Names() => new(Configurations().Select(c => (string)c[0]));

    [Theory]
    [MemberData(nameof(Names))]
    public void Appending_values_forecasts_as_the_whole_history_does(string name)
    {
        var options = (TrainingOptions)Configurations().Single(c => (string)c[0] == name)[1];
        var series = Seasonal(160, 1);
        var model = ForecastTrainer.Train([series[..120]], options).Model;
        var history = (float[])series.Clone();
        foreach (var g in Gaps) history[g] = float.NaN;

        // Opened with 14 values: shorter than the members' initial states read (three seasons), so the head path runs too.
        var state = model.NewState();
        for (int t = 0; t < 14; t++) model.Append(state, history[t]);
        for (int t = 14; t <= history.Length; t++)
        {
            if (t % 5 == 0 || t == 100 || t == 75)
            {
                AssertSame(model.Forecast([history[..t]])[0], model.Forecast(state), $"{name}, length {t}");
                // Exported and imported: the state goes on as it was.
                state = JsonSerializer.Deserialize<SeriesState>(JsonSerializer.Serialize(state, Json), Json)!;
            }
            if (t < history.Length) model.Append(state, history[t]);
        }
        Assert.Equal(history.Length, state.Length);
        Assert.True(state.Tail.Count < 2 * model.InputWindow, "the state keeps a bounded tail, not the history");
    }

    [Fact]
    public void Covariates_past_and_known_in_advance_with_their_own_gaps_match()
    {
        var series = Seasonal(150, 2);
        var temperature = Enumerable.Range(0, 160).Select(t => (float)(10 + 5 * Math.Cos(t / 3.0))).ToArray();
        var promotion = Enumerable.Range(0, 160).Select(t => t % 9 == 0 ? 1f : 0f).ToArray();
        var training = new TrainingSeries(series[..120], new Dictionary<string, float[]> { ["temperature"] = temperature[..120], ["promotion"] = promotion[..120] });
        var model = ForecastTrainer.Train(new[] { training }, Small with { FutureCovariates = ["promotion"] }).Model;
        Assert.Equal(["promotion", "temperature"], model.Covariates); // sorted by name
        var history = (float[])series.Clone();
        history[130] = float.NaN;
        var temp = (float[])temperature.Clone();
        foreach (var t in new[] { 20, 21, 125, 126, 127, 139, 140 }) temp[t] = float.NaN; // 139..140 stay open at the forecast from 141
        var promo = (float[])promotion.Clone();
        promo[128] = float.NaN;

        var state = model.NewState();
        for (int t = 0; t < 30; t++) model.Append(state, history[t], [promo[t], temp[t]]);
        for (int t = 30; t <= 145; t++)
        {
            var future = new Dictionary<string, float[]> { ["promotion"] = promo[t..(t + 4)] };
            if (t % 7 == 0 || t == 141)
            {
                var input = new ForecastInput(history[..t], new Dictionary<string, float[]> { ["temperature"] = temp[..t], ["promotion"] = promo[..t] }, future);
                AssertSame(model.Forecast([input])[0], model.Forecast(state, future), $"length {t}");
            }
            model.Append(state, history[t], [promo[t], temp[t]]);
        }
    }

    [Fact]
    public void A_log_model_refuses_a_non_positive_streamed_value()
    {
        var model = ForecastTrainer.Train([Seasonal(120, 3)], Small with { Transform = SeriesTransform.Log }).Model;
        var state = model.NewState();
        var error = Assert.Throws<ArgumentException>(() => model.Append(state, 0f));
        Assert.Contains("positive", error.Message);
        Assert.Equal(0, state.Length);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void The_network_state_is_one_h_and_c_per_layer(RecurrentCell recurrent)
    {
        var model = ForecastTrainer.Train([Seasonal(120, 4)], Small with { Layers = 2, Cell = recurrent }).Model;
        var state = model.NewState();
        foreach (var v in Seasonal(40, 5)) model.Append(state, v);
        var (hidden, cell) = model.NetworkState(state);
        Assert.Equal(2, hidden.Length);
        Assert.All(hidden, h => Assert.Equal(model.Network.Config.HiddenSize, h.Length));
        Assert.Contains(hidden[1], v => v != 0);
        if (recurrent == RecurrentCell.Lstm)
        {
            Assert.Equal(2, cell!.Length);
            Assert.All(cell, c => Assert.Equal(model.Network.Config.HiddenSize, c.Length));
        }
        else Assert.Null(cell); // a GRU's state is h alone
    }

    /// <summary>
    /// The theta method as it was computed before streams (deseasonalise with the whole history's indices, smooth, regress):
    /// the sufficient-statistics form forecasts the same numbers up to rounding, with the decomposition's index and, under
    /// four periods, the phase regression's.
    /// </summary>
    [Theory]
    [InlineData(false, 137)]
    [InlineData(true, 137)]
    [InlineData(false, 30)]
    [InlineData(true, 41)]
    public void Theta_from_its_sums_matches_the_two_pass_method(bool multiplicative, int length)
    {
        var y = Seasonal(length, 6).Select(v => (double)v).ToArray();
        var theta = new ThetaMethod(0.3, 12, multiplicative);
        var output = new double[5];
        theta.Forecast(y, output);

        int n = y.Length, m = 12;
        var index = ThetaMethod.SeasonalIndex(y, m, multiplicative);
        var a = y.Select((v, t) => multiplicative ? v / index[t % m] : v - index[t % m]).ToArray();
        new ExponentialSmoothing(false, false, 1, 0.3, 0, 0, 1).Filter(a, out var state);
        double mt = (n - 1) / 2.0, my = a.Average(), sxy = 0, sxx = 0;
        for (int t = 0; t < n; t++) { sxy += (t - mt) * (a[t] - my); sxx += (t - mt) * (t - mt); }
        double slope = sxy / sxx / 2, carry = (1 - Math.Pow(0.7, n)) / 0.3;
        for (int h = 0; h < 5; h++)
        {
            double v = state.Level + slope * (h + carry);
            v = multiplicative ? v * index[(n + h) % m] : v + index[(n + h) % m];
            Assert.Equal(v, output[h], 9);
        }
    }
}
