using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The smoothing's parameters are fitted on the errors of its next <see cref="ExponentialSmoothing.FitSteps"/> forecasts from
/// every origin (R's <c>ets(opt.crit = "amse")</c>), large ones counted by Huber's loss, and its AICc still comes from the
/// one-step squared errors.
/// </summary>
public class SmoothingFitCriterionTests
{
    static double[] NoisyTrend(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        double level = 20, slope = 0.3;
        return Enumerable.Range(0, length).Select(t =>
        {
            slope += 0.05 * rng.NextGaussian();
            level += slope + 0.5 * rng.NextGaussian();
            return level + 2 * rng.NextGaussian() + 3 * Math.Sin(2 * Math.PI * t / 4);
        }).ToArray();
    }

    static readonly (bool Trend, bool Damped, int Season)[] ShapeList = [(false, false, 1), (true, false, 1), (true, true, 1), (false, false, 4), (true, true, 4)];

    public static TheoryData<bool, bool, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int>();
        foreach (var (trend, damped, season) in ShapeList) data.Add(trend, damped, season);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheOneStepErrorIsTheFiltersSumOfSquares(bool trend, bool damped, int season)
    {
        var y = NoisyTrend(60, 5);
        var model = new ExponentialSmoothing(trend, damped, season, 0.4, 0.1, 0.2, 0.9);
        Assert.Equal(model.Filter(y, out _), model.MultiStepError(y, 1));
    }

    public static TheoryData<bool, bool, int, double> ShapesAndThresholds()
    {
        var data = new TheoryData<bool, bool, int, double>();
        foreach (var (trend, damped, season) in ShapeList)
            foreach (double huber in new[] { double.PositiveInfinity, 1.5 })
                data.Add(trend, damped, season, huber);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndThresholds))]
    public void TheMultiStepErrorIsThatOfTheForecastsFromEveryOrigin(bool trend, bool damped, int season, double huber)
    {
        var y = NoisyTrend(50, 11);
        var model = new ExponentialSmoothing(trend, damped, season, 0.35, 0.05, 0.15, 0.85);
        const int steps = 3;
        int n = y.Length;
        var along = new double[n * steps];
        model.ForecastsAlong(y, Enumerable.Range(0, n).ToArray(), steps, along, 0, steps, fitted: n); // in sample, as the fit
        double expected = 0;
        int beyond = 0;
        for (int t = 0; t < n; t++)
        {
            int ahead = Math.Min(steps, n - t); // the last origins have fewer values after them
            double loss = 0;
            for (int h = 0; h < ahead; h++)
            {
                double e = Math.Abs(y[t + h] - along[t * steps + h]);
                if (e > huber) beyond++;
                loss += e <= huber ? e * e : 2 * huber * e - huber * huber;
            }
            expected += loss / ahead;
        }
        if (double.IsFinite(huber)) Assert.InRange(beyond, 10, n * steps); // the threshold is reached, so its branch is checked
        Assert.Equal(expected, model.MultiStepError(y, steps, huber), 1e-9 * expected);
    }

    [Fact]
    public void TheFittedLevelMinimisesTheThreeStepErrorNotTheOneStep()
    {
        var y = NoisyTrend(80, 23);
        double huber = ExponentialSmoothing.HuberThreshold(y);
        Assert.True(double.IsFinite(huber));
        var (fitted, _) = ExponentialSmoothing.Fit([y], [1.0], trend: false, damped: false, season: 1);
        var grid = Enumerable.Range(1, 99).Select(i => new ExponentialSmoothing(false, false, 1, i / 100.0, 0, 0, 1)).ToList();
        double Criterion(ExponentialSmoothing m) => m.MultiStepError(y, ExponentialSmoothing.FitSteps, huber);
        double best = grid.Min(Criterion);
        Assert.True(Criterion(fitted) <= best * (1 + 1e-6), $"alpha {fitted.Alpha}: {Criterion(fitted)} against the grid's {best}");
        // On a trend the one-step criterion would chase the last value harder: its best alpha is another.
        double oneStepAlpha = grid.MinBy(m => m.Filter(y, out _))!.Alpha;
        Assert.True(Math.Abs(oneStepAlpha - fitted.Alpha) > 0.02, $"one-step alpha {oneStepAlpha}, fitted {fitted.Alpha}");
    }

    [Fact]
    public void AGlitchMovesTheFitLessThanSquaredErrorsWould()
    {
        var rng = new SeededRandom(41);
        double level = 50;
        var clean = Enumerable.Range(0, 90).Select(_ => (level += 0.5 * rng.NextGaussian()) + rng.NextGaussian()).ToArray();
        var glitched = (double[])clean.Clone();
        glitched[50] += 25; // about twenty of the series' step deviations
        double cleanAlpha = ExponentialSmoothing.Fit([clean], [1.0], false, false, 1).Model.Alpha;
        double robustAlpha = ExponentialSmoothing.Fit([glitched], [1.0], false, false, 1).Model.Alpha;
        var grid = Enumerable.Range(1, 99).Select(i => new ExponentialSmoothing(false, false, 1, i / 100.0, 0, 0, 1)).ToList();
        double squaredAlpha = grid.MinBy(m => m.MultiStepError(glitched, ExponentialSmoothing.FitSteps))!.Alpha;
        Assert.True(Math.Abs(robustAlpha - cleanAlpha) < Math.Abs(squaredAlpha - cleanAlpha),
            $"clean {cleanAlpha}, with the glitch {robustAlpha}, squared errors {squaredAlpha}");
    }

    [Fact]
    public void AConstantStepHasNoThreshold()
    {
        Assert.Equal(double.PositiveInfinity, ExponentialSmoothing.HuberThreshold(Enumerable.Range(0, 30).Select(t => 2.0 * t).ToArray()));
        Assert.Equal(double.PositiveInfinity, ExponentialSmoothing.HuberThreshold([1.0, 5.0, 2.0]));
    }

    [Fact]
    public void TheAiccComesFromTheOneStepErrors()
    {
        var y = NoisyTrend(60, 31);
        var (fitted, aicc) = ExponentialSmoothing.Fit([y], [1.0], trend: true, damped: false, season: 4);
        int n = y.Length, k = fitted.ParameterCount + 1;
        double sse = fitted.Filter(y, out _);
        Assert.Equal(n * Math.Log(sse / n) + 2 * k + 2.0 * k * (k + 1) / (n - k - 1), aicc, 1e-9);
    }
}
