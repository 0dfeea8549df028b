namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Derivative-free minimiser (Nelder and Mead's simplex) for the few smoothing parameters of the statistical models.
/// Deterministic: the same function and start give the same answer.
/// </summary>
public static class NelderMead
{
    /// <summary>Minimises <paramref name="f"/> from <paramref name="start"/> (overwritten with the best point); returns the best value.</summary>
    public static double Minimize(Func<double[], double> f, double[] start, double step = 0.5, int maxEvaluations = 0, double tolerance = 1e-8)
    {
        int n = start.Length;
        if (n == 0) return f(start);
        if (maxEvaluations <= 0) maxEvaluations = 200 * n + 100;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            points[i] = (double[])start.Clone();
            if (i > 0) points[i][i - 1] += step;
            values[i] = Evaluate(f, points[i]);
        }
        int evaluations = n + 1;
        var centroid = new double[n];
        var trial = new double[n];
        var trial2 = new double[n];
        var order = new int[n + 1];
        while (evaluations < maxEvaluations)
        {
            for (int i = 0; i <= n; i++) order[i] = i;
            Array.Sort(order, (a, b) => values[a].CompareTo(values[b]) is var c && c != 0 ? c : a.CompareTo(b));
            int best = order[0], worst = order[n], second = order[n - 1];
            if (Math.Abs(values[worst] - values[best]) <= tolerance * (Math.Abs(values[best]) + tolerance)) break;
            Array.Clear(centroid);
            for (int i = 0; i <= n; i++)
                if (i != worst)
                    for (int j = 0; j < n; j++) centroid[j] += points[i][j] / n;
            for (int j = 0; j < n; j++) trial[j] = centroid[j] + (centroid[j] - points[worst][j]);
            double reflected = Evaluate(f, trial); evaluations++;
            if (reflected < values[best])
            {
                for (int j = 0; j < n; j++) trial2[j] = centroid[j] + 2 * (centroid[j] - points[worst][j]);
                double expanded = Evaluate(f, trial2); evaluations++;
                if (expanded < reflected) Replace(worst, trial2, expanded); else Replace(worst, trial, reflected);
            }
            else if (reflected < values[second]) Replace(worst, trial, reflected);
            else
            {
                bool outside = reflected < values[worst];
                for (int j = 0; j < n; j++) trial2[j] = outside ? centroid[j] + 0.5 * (trial[j] - centroid[j]) : centroid[j] + 0.5 * (points[worst][j] - centroid[j]);
                double contracted = Evaluate(f, trial2); evaluations++;
                if (contracted < Math.Min(reflected, values[worst])) Replace(worst, trial2, contracted);
                else
                {
                    for (int i = 0; i <= n; i++)
                    {
                        if (i == best) continue;
                        for (int j = 0; j < n; j++) points[i][j] = points[best][j] + 0.5 * (points[i][j] - points[best][j]);
                        values[i] = Evaluate(f, points[i]); evaluations++;
                    }
                }
            }
        }
        int winner = 0;
        for (int i = 1; i <= n; i++) if (values[i] < values[winner]) winner = i;
        points[winner].CopyTo(start, 0);
        return values[winner];

        void Replace(int i, double[] p, double v) { p.CopyTo(points[i], 0); values[i] = v; }
    }

    static double Evaluate(Func<double[], double> f, double[] x)
    {
        double v = f(x);
        return double.IsNaN(v) ? double.PositiveInfinity : v;
    }
}
