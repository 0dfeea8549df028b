using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary><see cref="EditDistance.Of"/> (three rolling rows) against the whole table of optimal string alignment.</summary>
public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("sunspot", "sunspots", 1)]
    [InlineData("sunpsots", "sunspots", 1)] // a swap of neighbours counts one
    [InlineData("Sunspots", "sunspots", 0)] // case does not count
    [InlineData("ca", "abc", 3)]            // optimal string alignment: a swapped pair is not edited again
    public void Known_distances(string a, string b, int distance)
    {
        Assert.Equal(distance, EditDistance.Of(a, b));
        Assert.Equal(distance, EditDistance.Of(b, a));
    }

    [Fact]
    public void Random_names_agree_with_the_whole_table()
    {
        var random = new Random(11);
        string Name(int length) => new([.. Enumerable.Range(0, length).Select(_ => "abAB.-_1"[random.Next(8)])]);
        for (int trial = 0; trial < 2000; trial++)
        {
            string a = Name(random.Next(0, 12)), b = Name(random.Next(0, 12));
            Assert.Equal(WholeTable(a, b), EditDistance.Of(a, b));
        }
        Assert.Equal(WholeTable(new string('a', 300), new string('b', 290)), EditDistance.Of(new string('a', 300), new string('b', 290))); // past the stack's rows
    }

    [Theory]
    [InlineData("sunspot", 2, "sunspots")]     // one letter off
    [InlineData("Sunspots", 2, "sunspots")]    // another case is a suggestion
    [InlineData("sunspots", 2, null)]          // the exact name is none
    [InlineData("co3", 1, "co2")]              // ties at one edit go to the first in ordinal order: co2 before cod
    [InlineData("airline", 1, null)]           // nothing within reach
    public void Nearest_is_the_closest_within_reach(string name, int reach, string? nearest)
    {
        string[] candidates = ["sunspots", "cod", "co2", "airpassengers"];
        Assert.Equal(nearest, EditDistance.Nearest(candidates, name, reach));
        Assert.Equal(nearest, EditDistance.Nearest(candidates.Reverse(), name, reach)); // the order given does not matter
    }

    static int WholeTable(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
