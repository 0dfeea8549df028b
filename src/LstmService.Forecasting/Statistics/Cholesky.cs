namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Solves a symmetric positive definite system in place, reporting failure instead of clamping (unlike
/// <see cref="Series.SeriesMath.SolveRidge"/>), so the autoregression can skip a lag set whose normal equations are singular.
/// </summary>
internal static class Cholesky
{
    public static bool Solve(double[] a, double[] b, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                if (i == j) { if (s <= 0) return false; a[i * n + i] = Math.Sqrt(s); }
                else a[i * n + j] = s / a[j * n + j];
            }
        for (int i = 0; i < n; i++) { double s = b[i]; for (int k = 0; k < i; k++) s -= a[i * n + k] * b[k]; b[i] = s / a[i * n + i]; }
        for (int i = n - 1; i >= 0; i--) { double s = b[i]; for (int k = i + 1; k < n; k++) s -= a[k * n + i] * b[k]; b[i] = s / a[i * n + i]; }
        return true;
    }
}
