using System.Text.Json;

namespace LstmService.Infrastructure;

/// <summary>
/// A JSON array element that is not a number or null. The serializer fills in <see cref="JsonException.Path"/> up to
/// the array; <see cref="Index"/> names the element within it, and <see cref="Quoted"/> says it was a string ("3"),
/// whose message is then about the quotes.
/// </summary>
public sealed class JsonArrayElementException(int index, bool quoted = false)
    : JsonException("The JSON value could not be converted to a number.")
{
    public int Index { get; } = index;

    public bool Quoted { get; } = quoted;
}
