namespace LstmService.Infrastructure;

/// <summary>The unit of a series' frequency: inferred from a time column or timestamps, or named by a request.</summary>
public enum TimeUnit { Minute, Hour, Day, Week, Month, Quarter, Year, BusinessDay }
