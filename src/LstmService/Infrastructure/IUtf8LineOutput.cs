namespace LstmService.Infrastructure;

/// <summary>Takes whole lines already encoded as UTF-8 (<see cref="RequestLineWriter"/>'s), each in one call.</summary>
internal interface IUtf8LineOutput
{
    /// <summary>Appends <paramref name="utf8"/> (one or more whole lines, newline included) as one piece.</summary>
    void WriteUtf8(ReadOnlySpan<byte> utf8);
}
