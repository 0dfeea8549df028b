using System.Collections;

namespace LstmService.Infrastructure;

/// <summary>
/// A read-only list of optional numbers held as doubles, NaN for a missing value (JSON has no NaN, so nothing else can
/// mean it), in chunks of <see cref="ChunkLength"/>: 8 bytes a value where a <c>List&lt;double?&gt;</c> takes 16, and no
/// array of the whole length is ever allocated or copied while the list grows.
/// </summary>
public sealed class NullableDoubleList : IReadOnlyList<double?>
{
    /// <summary>Values per chunk (64 KiB); a shorter list is one chunk of its own length.</summary>
    public const int ChunkLength = 8192;

    private readonly double[][] _chunks;

    /// <param name="chunks">Every chunk but the last holds <see cref="ChunkLength"/> values; the last holds the rest.</param>
    /// <param name="count">The values in all the chunks.</param>
    public NullableDoubleList(double[][] chunks, int count)
    {
        _chunks = chunks;
        Count = count;
    }

    public int Count { get; }

    public double? this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var v = _chunks[index / ChunkLength][index % ChunkLength];
            return double.IsNaN(v) ? null : v;
        }
    }

    public IEnumerator<double?> GetEnumerator()
    {
        foreach (var chunk in _chunks)
            foreach (var v in chunk)
                yield return double.IsNaN(v) ? null : v;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
