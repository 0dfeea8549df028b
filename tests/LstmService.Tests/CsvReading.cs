using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>A CSV text through <see cref="CsvSeriesReader"/>, as the reader's tests read one.</summary>
internal static class CsvReading
{
    public static async Task<(CsvTable? Table, Dictionary<string, string[]> Errors)> Read(string csv)
    {
        var errors = new ValidationErrors();
        var table = await CsvSeriesReader.ReadAsync(new StringReader(csv), errors);
        return (table, errors.ToDictionary());
    }

    public static async Task<CsvTable> ReadValid(string csv)
    {
        var (table, errors) = await Read(csv);
        Assert.True(table is not null, string.Join("; ", errors.SelectMany(e => e.Value)));
        return table!;
    }
}
