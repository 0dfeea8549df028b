using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// A weights row of the PostgreSQL database read as a stream, a piece at a time, each piece by its own short
/// query (<c>substring</c> of the bytea): a download holds one piece, and a pooled connection only while a piece is read, so a
/// slow client cannot keep connections from the other requests. Seekable, so a response says its length.
/// </summary>
/// <param name="database">The registry's database.</param>
/// <param name="sha256">The weights' key, already checked against their content.</param>
/// <param name="length">Their size in bytes.</param>
/// <param name="pieceBytes">The bytes one query reads (<see cref="PieceBytes"/> by default; tests read in smaller pieces).</param>
public sealed class DatabaseWeightsStream(PostgresRegistryDatabase database, string sha256, long length, int pieceBytes) : Stream
{
    /// <summary>The bytes one query reads by default: 64 queries for the largest network the default settings allow.</summary>
    public const int PieceBytes = 1 << 20;

    private byte[] _piece = [];
    private long _pieceStart;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= length || buffer.IsEmpty) return 0;
        if (!HoldsPosition)
        {
            using var c = database.Connect();
            Keep(Scalar(c, null, PieceQuery, PieceParameters()) as byte[]);
        }
        int available = (int)Math.Min(buffer.Length, _pieceStart + _piece.Length - _position);
        _piece.AsSpan((int)(_position - _pieceStart), available).CopyTo(buffer);
        _position += available;
        return available;
    }

    /// <summary>As <see cref="Read(Span{byte})"/>, its piece queried without blocking a thread (the response's copy reads so).</summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < length && !buffer.IsEmpty && !HoldsPosition)
        {
            await using var c = await database.ConnectAsync(cancellationToken);
            Keep(await ScalarAsync(c, null, PieceQuery, cancellationToken, PieceParameters()) as byte[]);
        }
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Whether the piece held covers the position.</summary>
    private bool HoldsPosition => _position >= _pieceStart && _position < _pieceStart + _piece.Length;

    /// <summary>The piece that starts at @from (PostgreSQL's substring counts from 1).</summary>
    private const string PieceQuery = "SELECT substring(content FROM @from FOR @count) FROM weights WHERE sha256 = @sha";

    /// <summary><see cref="PieceQuery"/>'s parameters for the piece that starts at the position.</summary>
    private (string, object?)[] PieceParameters() => [("@from", (int)(_position + 1)), ("@count", pieceBytes), ("@sha", sha256)];

    /// <summary>Keeps <paramref name="piece"/> as the one from the position.</summary>
    private void Keep(byte[]? piece)
    {
        // The row went (its version deleted meanwhile) or shrank: the response is cut short rather than padded.
        if (piece is not { Length: > 0 }) throw new IOException($"weights {sha256} changed in the database while they were sent");
        (_piece, _pieceStart) = (piece, _position);
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
