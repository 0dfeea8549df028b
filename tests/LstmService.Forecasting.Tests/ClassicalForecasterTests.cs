using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Tests;

public class ClassicalForecasterTests
{
    static double[] RandomWalkWithSeason(int length, int period, ulong seed)
    {
        var rng = new SeededRandom(seed);
        double level = 50;
        return Enumerable.Range(0, length).Select(t => (level += 0.5 * rng.NextGaussian()) + (period > 1 ? 4 * Math.Sin(2 * Math.PI * t / period) : 0) + rng.NextGaussian()).ToArray();
    }

    [Fact]
    public void SmoothingForecastsAlongTheSeriesEqualForecastsFromEachPrefix()
    {
        var y = RandomWalkWithSeason(120, 12, 3);
        var (model, _) = ExponentialSmoothing.Fit([y], [1.0], trend: true, damped: true, season: 12);
        int[] origins = [60, 61, 90, 119, 120];
        var along = new double[origins.Length * 5];
        model.ForecastsAlong(y, origins, 5, along, 0, 5, fitted: 60);
        // The initial states depend on the first three seasons and the first ~1/α values, so any origin past them agrees.
        foreach (var (origin, r) in origins.Select((o, r) => (o, r)))
        {
            model.Filter(y.AsSpan(0, origin), out var state);
            var direct = new double[5];
            model.Forecast(state, direct);
            for (int h = 0; h < 5; h++) Assert.Equal(direct[h], along[r * 5 + h], 9);
        }
    }

    [Fact]
    public void SmoothingForecastsPastTheFittedPartReadNothingAfterTheirOrigin()
    {
        // A level slow to adapt (α = 0.02: its initial states read the first 50 values) fitted on the first 30: an origin
        // after them forecasts as from its own history, and values after it change nothing. From the whole series' initial
        // states, the origin at 35 had read 15 values after it.
        var y = RandomWalkWithSeason(80, 1, 5);
        var model = new ExponentialSmoothing(trend: false, damped: false, season: 1, 0.02, 0, 0, 1);
        Assert.Equal(50, model.InitialLength);
        int[] origins = [20, 30, 35, 49, 50, 70];
        var along = new double[origins.Length * 4];
        model.ForecastsAlong(y, origins, 4, along, 0, 4, fitted: 30);
        var changed = (double[])y.Clone();
        for (int t = 36; t < changed.Length; t++) changed[t] += 100;
        var alongChanged = new double[origins.Length * 4];
        model.ForecastsAlong(changed, origins, 4, alongChanged, 0, 4, fitted: 30);
        foreach (var (origin, r) in origins.Select((o, r) => (o, r)))
        {
            var direct = new double[4];
            if (origin > 30)
            {
                model.Filter(y.AsSpan(0, origin), out var state);
                model.Forecast(state, direct);
                for (int h = 0; h < 4; h++) Assert.Equal(direct[h], along[r * 4 + h], 9);
            }
            if (origin <= 35) for (int h = 0; h < 4; h++) Assert.Equal(along[r * 4 + h], alongChanged[r * 4 + h], 9);
        }
    }

    [Fact]
    public void SmoothingOnAFixedSeasonalPatternForecastsThePattern()
    {
        var y = Enumerable.Range(0, 96).Select(t => 10.0 + (t % 4) * 2).ToArray();
        var (model, _) = ExponentialSmoothing.SelectShape([y], [1.0], [4]);
        Assert.Equal(4, model.Season);
        model.Filter(y, out var state);
        var forecast = new double[8];
        model.Forecast(state, forecast);
        for (int h = 0; h < 8; h++) Assert.Equal(10.0 + ((96 + h) % 4) * 2, forecast[h], 3);
    }

    [Fact]
    public void NonSeasonalThetaAlongTheSeriesEqualsThetaOnEachPrefix()
    {
        var y = RandomWalkWithSeason(80, 1, 9);
        var theta = ThetaMethod.Fit([y], [1.0], season: 1);
        int[] origins = [40, 79];
        var along = new double[origins.Length * 6];
        theta.ForecastsAlong(y, origins, 6, along, 0, 6, fitted: y.Length);
        foreach (var (origin, r) in origins.Select((o, r) => (o, r)))
        {
            var direct = new double[6];
            theta.Forecast(y.AsSpan(0, origin), direct);
            for (int h = 0; h < 6; h++) Assert.Equal(direct[h], along[r * 6 + h], 9);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SeasonalThetaAlongTheSeriesEqualsThetaOnEachPrefix(bool multiplicative)
    {
        // Origins with no season yet (under two periods), with the phase regression's index (under four) and with the
        // decomposition's: each reads the values before it alone, as a forecast from that history does. With the index read
        // from the whole series, the origin at 30 had forecast its own targets' season.
        var y = RandomWalkWithSeason(120, 12, 11).Select(v => multiplicative ? v * (1 + 0.2 * Math.Sin(v)) : v).ToArray();
        var theta = new ThetaMethod(0.3, 12, multiplicative);
        int[] origins = [0, 2, 20, 30, 47, 48, 60, 72, 90, 119, 120];
        var along = new double[origins.Length * 6];
        theta.ForecastsAlong(y, origins, 6, along, 0, 6, fitted: 0);
        foreach (var (origin, r) in origins.Select((o, r) => (o, r)))
        {
            var direct = new double[6];
            theta.Forecast(y.AsSpan(0, origin), direct);
            for (int h = 0; h < 6; h++) Assert.Equal(direct[h], along[r * 6 + h], 9);
        }
        // Fitted on the first 60: an origin within them reads their index (in sample), one after them as before.
        var withFit = new double[origins.Length * 6];
        theta.ForecastsAlong(y, origins, 6, withFit, 0, 6, fitted: 60);
        for (int r = 0; r < origins.Length; r++)
            for (int h = 0; h < 6; h++)
                if (origins[r] >= 60) Assert.Equal(along[r * 6 + h], withFit[r * 6 + h], 9);
        Assert.NotEqual(along[3 * 6], withFit[3 * 6]); // the origin at 30 reads the values up to 60
        // Values after an origin past the fitted part (72, 90) change nothing of its forecast.
        var changed = y.Select((v, t) => t >= 90 ? v + 50 : v).ToArray();
        var alongChanged = new double[origins.Length * 6];
        theta.ForecastsAlong(changed, origins, 6, alongChanged, 0, 6, fitted: 60);
        for (int r = 0; r < origins.Length; r++)
            if (origins[r] <= 90) for (int h = 0; h < 6; h++) Assert.Equal(withFit[r * 6 + h], alongChanged[r * 6 + h], 9);
    }

    [Fact]
    public void ThetaOfAStraightLineContinuesItsSlopeHalfway()
    {
        // Theta keeps half the least-squares slope on top of the smoothed level (R's thetaf).
        var y = Enumerable.Range(0, 40).Select(t => 2.0 * t).ToArray();
        var theta = ThetaMethod.Fit([y], [1.0], season: 1);
        var f = new double[3];
        theta.Forecast(y, f);
        Assert.Equal(1.0, f[1] - f[0], 6);
        Assert.Equal(1.0, f[2] - f[1], 6);
    }

    [Fact]
    public void AutoregressionRecoversTheCoefficientOfDifferences()
    {
        var rng = new SeededRandom(21);
        double d = 0, level = 0;
        var y = new double[3000];
        for (int t = 0; t < y.Length; t++) { d = 0.6 * d + rng.NextGaussian(); y[t] = level += d + 0.1; }
        var ar = DifferencedAutoregression.Fit([y], []);
        Assert.Equal(1, ar.Lags[0]);
        Assert.InRange(ar.Coefficients[0], 0.55, 0.65);
        // The forecast's step tends to the drift (the history's mean step) as the AR part decays.
        var f = new double[60];
        ar.Forecast(y, f);
        double meanStep = (y[^1] - y[0]) / (y.Length - 1);
        Assert.Equal(meanStep, f[59] - f[58], 3);
    }

    [Fact]
    public void EnsembleRoundTripsThroughJsonAndRefusesBadDocuments()
    {
        var y = RandomWalkWithSeason(100, 4, 2);
        var ensemble = StatisticalEnsemble.Fit([y], [4]).WithWeights([0.4f, 0.3f, 0.2f, 0.1f]);
        var copy = StatisticalEnsemble.FromJson(ensemble.ToJson());
        var a = new double[3 * 6]; var b = new double[3 * 6];
        ensemble.Forecast(y, 6, a);
        copy.Forecast(y, 6, b);
        Assert.Equal(a, b);
        Assert.Equal(ensemble.Weights, copy.Weights);
        Assert.Throws<InvalidDataException>(() => StatisticalEnsemble.FromJson("{}"));
        Assert.Throws<InvalidDataException>(() => StatisticalEnsemble.FromJson("[1,2]"));
        Assert.Throws<InvalidDataException>(() => StatisticalEnsemble.FromJson(ensemble.ToJson().Replace("0.4", "0.9")));
        Assert.Throws<ArgumentException>(() => ensemble.WithWeights([1f, 1f, 0f, 0f]));
    }

    [Fact]
    public void LogTransformRoundTripsAndFloorsNonPositiveValues()
    {
        float[] values = [1f, 2.5f, float.NaN, 1000f, 0.001f];
        var logged = SeriesTransforms.Forward(SeriesTransform.Log, values);
        for (int i = 0; i < values.Length; i++)
            if (float.IsNaN(values[i])) Assert.True(float.IsNaN(logged[i]));
            else Assert.Equal(values[i], SeriesTransforms.Inverse(SeriesTransform.Log, logged[i]), values[i] * 1e-5f);
        var floored = SeriesTransforms.Forward(SeriesTransform.Log, [2f, 0f, -3f]);
        Assert.All(floored, v => Assert.True(float.IsFinite(v)));
        Assert.True(floored[1] < floored[0]);
        Assert.Same(values, SeriesTransforms.Forward(SeriesTransform.None, values));
        // Up to the largest float the inverse is the exponential (3e38 had come back as e^88, 1.65e38); beyond it, the largest float.
        Assert.Equal(3e38f, SeriesTransforms.Inverse(SeriesTransform.Log, MathF.Log(3e38f)), 3e38f * 1e-5f);
        Assert.Equal(float.MaxValue, SeriesTransforms.Inverse(SeriesTransform.Log, 100f));
        Assert.Equal(float.MaxValue, SeriesTransforms.Inverse(SeriesTransform.Log, MathF.Log(float.MaxValue)));
        Assert.True(float.IsFinite(SeriesTransforms.Inverse(SeriesTransform.Log, MathF.BitDecrement(MathF.Log(float.MaxValue)))));
        Assert.False(SeriesTransforms.Positive([1f, 0f]));
        Assert.True(SeriesTransforms.Positive([1f, float.NaN]));
    }

    [Fact]
    public void A_multiplicative_theta_forecasts_a_history_of_zeros()
    {
        // Fitted on a positive series, theta's season is multiplicative; a later history whose last weeks are zeros (a shop
        // closed) had divided 0 by a moving average of 0: every forecast NaN, and a stream refused its next zero.
        var y = Enumerable.Range(0, 140).Select(t => 200 + (t % 7 is 5 or 6 ? 80.0 : 0) + 5 * Math.Sin(t)).ToArray();
        var theta = ThetaMethod.Fit([y], [1.0], 7);
        Assert.True(theta.Multiplicative);
        Assert.Equal(7, theta.Season);
        var output = new double[7];
        theta.Forecast(new double[70], output);
        Assert.All(output, v => Assert.Equal(0, v, 9));
        var closed = y[..50].Concat(new double[20]).ToArray();
        theta.Forecast(closed, output);
        Assert.All(output, v => Assert.True(double.IsFinite(v) && v < 100, $"{v}"));
        // A phase that is zero in every week (closed on Sundays) has no multiplicative index: the method reads the series
        // unadjusted then, and a stream's state built along the way stays finite.
        var sundays = y.Select((v, t) => t % 7 == 6 ? 0 : v).ToArray();
        theta.Forecast(sundays, output);
        Assert.All(output, v => Assert.True(double.IsFinite(v)));
        var state = ThetaState.Create(theta);
        state.Initialize(theta, sundays);
        for (int t = 0; t < sundays.Length; t++) state.Step(theta, t, sundays[t], sundays.AsSpan(0, t + 1));
        Assert.Null(state.Problem(theta, sundays.Length));
        var along = new double[7];
        theta.ForecastsAlong(sundays, [sundays.Length], 7, along, 0, 7, fitted: sundays.Length);
        Assert.Equal(output, along, (a, b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(a)));
    }
}
