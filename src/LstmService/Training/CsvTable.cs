namespace LstmService.Training;

/// <summary>A parsed CSV: the time column (if any) and the value columns, with the file line of every data row.</summary>
/// <param name="TimeColumn">Header of the column taken as the time axis (the rows are put in its order), or null when every column holds values.</param>
/// <param name="Columns">Value columns, in file order; in long format one per id and value column, ids in order of first appearance, each on its own timeline.</param>
/// <param name="RowLines">1-based line in the file of each data row (the header is line 1, unless blank lines precede it), in time order; 0 for a time the file had no row for. In long format, in file order.</param>
/// <param name="Timeline">The rows' times, order and frequency when the time column holds times; null when there is no time column, it only counts periods (1, 2, 3), or the file is in long format (each column then has its own).</param>
/// <param name="IdColumns">In long format (a row per id and time, see <see cref="CsvLongFormat"/>), the headers of the columns that name the id; else null.</param>
public sealed record CsvTable(string? TimeColumn, IReadOnlyList<CsvValueColumn> Columns, IReadOnlyList<int> RowLines, CsvTimeline? Timeline = null,
    IReadOnlyList<string>? IdColumns = null);
