using System.Globalization;

namespace LstmService.TestSupport;

/// <summary>
/// Labelled windows of a real seasonal series (tests/Shared/Data/nottem.csv, R's datasets::nottem: Nottingham's monthly
/// mean temperatures 1920-1939): a window ending at each month from the twelfth on, 4 to 9 months long (its length cycles
/// with the month, so sequences differ in length), labelled with the quarter of its last month (Q1..Q4). Telling the
/// quarter needs the window's shape, not only its level: March and December are about equally cold, but one is warming.
/// </summary>
internal static class NottemWindows
{
    public sealed record Window(float[] Values, string Label, int Year, int Month);

    public static IReadOnlyList<float> Series { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "nottem.csv"))
        .Skip(1).Select(line => float.Parse(line.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

    public static IReadOnlyList<Window> All { get; } = Build();

    static Window[] Build()
    {
        var windows = new List<Window>();
        for (int end = 11; end < Series.Count; end++)
        {
            int length = 4 + end % 6, month = end % 12;
            windows.Add(new Window(Series.Skip(end - length + 1).Take(length).ToArray(), $"Q{month / 3 + 1}", 1920 + end / 12, month + 1));
        }
        return windows.ToArray();
    }

    /// <summary>Windows ending before 1936: the training part (the test part, 1936-1939, comes after it in time).</summary>
    public static IReadOnlyList<Window> Before1936 => All.Where(w => w.Year < 1936).ToArray();

    public static IReadOnlyList<Window> From1936 => All.Where(w => w.Year >= 1936).ToArray();
}
