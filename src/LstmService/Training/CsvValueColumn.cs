namespace LstmService.Training;

/// <summary>One value column of an uploaded CSV: a series named after its header; null marks a missing value.</summary>
/// <param name="Name">Header of the column (or "columnN" when the header cell is empty); becomes the series id.</param>
/// <param name="Number">1-based column number in the file.</param>
/// <param name="Values">One value per data row (per slot of <paramref name="Timeline"/> in long format).</param>
/// <param name="Id">In long format, the id whose rows these are; else null.</param>
/// <param name="Lines">In long format, the file line of each value (0 for a time the file had no row for); else null (the table's <see cref="CsvTable.RowLines"/>).</param>
/// <param name="Timeline">In long format, the id's own times; else null (the table's).</param>
public sealed record CsvValueColumn(string Name, int Number, double?[] Values, string? Id = null, IReadOnlyList<int>? Lines = null, CsvTimeline? Timeline = null)
{
    public int Missing => Values.Count(v => v is null);
}
