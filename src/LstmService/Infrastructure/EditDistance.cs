namespace LstmService.Infrastructure;

/// <summary>How far a misspelled name is from a real one, for the "did you mean" of a refused start or a 404.</summary>
public static class EditDistance
{
    /// <summary>
    /// The candidate nearest <paramref name="name"/> within <paramref name="reach"/> edits (ties to the first in ordinal
    /// order), or null when none is that close; <paramref name="name"/> itself is no suggestion.
    /// </summary>
    public static string? Nearest(IEnumerable<string> candidates, string name, int reach)
    {
        string? nearest = null;
        var best = reach + 1;
        foreach (var candidate in candidates)
        {
            if (candidate == name) continue;
            var distance = Of(candidate, name);
            if (distance < best || (distance == best && nearest is not null && string.CompareOrdinal(candidate, nearest) < 0))
                (nearest, best) = (candidate, distance);
        }
        return nearest;
    }

    /// <summary>
    /// How far a misspelled setting may be from the one it names: two edits, or a third of the typed key's letters when that
    /// is more (the validators had measured it on each candidate's length; the typed key's is the one known before choosing).
    /// </summary>
    public static int SettingReach(string name) => Math.Max(2, name.Length / 3);

    /// <summary>
    /// Edit distance, case-insensitive, a swap of neighbours counting one (optimal string alignment). Three rows of the
    /// table, on the stack for names: a 404's "did you mean" compares up to a thousand names.
    /// </summary>
    public static int Of(string a, string b)
    {
        int width = b.Length + 1;
        Span<int> rows = width <= 256 ? stackalloc int[3 * width] : new int[3 * width];
        Span<int> beforePrevious = rows[..width], previous = rows[width..(2 * width)], current = rows[(2 * width)..];
        for (var j = 0; j < width; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            char x = char.ToLowerInvariant(a[i - 1]);
            for (var j = 1; j < width; j++)
            {
                char y = char.ToLowerInvariant(b[j - 1]);
                var cost = x == y ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && x == char.ToLowerInvariant(b[j - 2]) && char.ToLowerInvariant(a[i - 2]) == y)
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
            }
            // Rotate: the row before the previous one takes the next row's place.
            var spare = beforePrevious;
            beforePrevious = previous;
            previous = current;
            current = spare;
        }
        return previous[b.Length];
    }
}
