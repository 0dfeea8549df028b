namespace LstmService.Forecasting.Series;

/// <summary>A stretch of one series the AR is fitted on: targets at indices [From, To), inputs from the gap-filled values.</summary>
internal readonly record struct SeriesPart(float[] Raw, float[] Filled, int From, int To, float Center, float Scale);
