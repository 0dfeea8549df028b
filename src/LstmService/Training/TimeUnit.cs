namespace LstmService.Training;

/// <summary>The unit of a series' frequency, inferred from an uploaded CSV's time column.</summary>
public enum TimeUnit { Minute, Hour, Day, Week, Month, Quarter, Year }
