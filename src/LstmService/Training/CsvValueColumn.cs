namespace LstmService.Training;

/// <summary>One value column of an uploaded CSV: a series named after its header; null marks a missing value.</summary>
/// <param name="Name">Header of the column (or "columnN" when the header cell is empty); becomes the series id.</param>
/// <param name="Number">1-based column number in the file.</param>
/// <param name="Values">One value per data row.</param>
public sealed record CsvValueColumn(string Name, int Number, double?[] Values)
{
    public int Missing => Values.Count(v => v is null);
}
