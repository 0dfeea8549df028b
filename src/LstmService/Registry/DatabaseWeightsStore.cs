using System.Data.Common;
using Npgsql;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// Weights as bytea rows of the PostgreSQL database, keyed by the SHA-256 of their content, so every replica reads the
/// same bytes and no volume is shared. A read is hashed again before it is used. Versions reference their weights by
/// foreign key, so a delete racing with a version added on another replica with the same weights cannot remove them.
/// </summary>
public sealed class DatabaseWeightsStore(PostgresRegistryDatabase database) : IWeightsStore
{
    public (string Sha256, long Size) Write(byte[] content, DbConnection connection, DbTransaction tx)
    {
        var sha = FileWeightsStore.Hash(content);
        // DO UPDATE (not NOTHING) locks an existing row until this transaction ends, so a concurrent delete waits and then fails on the new reference.
        Execute(connection, tx, """
            INSERT INTO weights (sha256, size, content) VALUES (@sha, @size, @content)
            ON CONFLICT (sha256) DO UPDATE SET size = excluded.size
            """, ("@sha", sha), ("@size", content.LongLength), ("@content", content));
        return (sha, content.LongLength);
    }

    /// <summary>
    /// The row's size and its SHA-256, hashed by the server (PostgreSQL's <c>sha256(bytea)</c>), so the content does not
    /// cross the network: a row written over in place with bytes of the same size had passed a check of its size alone, and
    /// a loaded version kept being served from memory (a file store's check hashes the file).
    /// </summary>
    public string? Check(string sha256, long expectedSize) => Hashed(sha256) switch
    {
        null => Missing(sha256),
        var (size, _) when size != expectedSize => $"weights {sha256} have {size} bytes in the database, expected {expectedSize}",
        var (_, hash) => hash == sha256 ? null : Altered(sha256, hash),
    };

    /// <summary>The row's size and the server's SHA-256 of its content, or null when there is no row.</summary>
    private (long Size, string Hash)? Hashed(string sha256)
    {
        using var c = database.Connect();
        var rows = Query(c, null, "SELECT octet_length(content)::bigint, encode(sha256(content), 'hex') FROM weights WHERE sha256 = @sha",
            r => (Size: r.GetInt64(0), Hash: r.GetString(1)), ("@sha", sha256));
        return rows.Count == 0 ? null : rows[0];
    }

    private static string Missing(string sha256) => $"weights {sha256} are missing from the database";

    private static string Altered(string sha256, string actual) => $"weights {sha256} were altered in the database (their SHA-256 is {actual})";

    public string? Fingerprint(string sha256)
    {
        using var c = database.Connect();
        return Scalar(c, null, "SELECT xmin::text FROM weights WHERE sha256 = @sha", ("@sha", sha256)) as string;
    }

    public byte[] Read(string sha256)
    {
        using var c = database.Connect();
        if (Scalar(c, null, "SELECT content FROM weights WHERE sha256 = @sha", ("@sha", sha256)) is not byte[] content)
            throw new InvalidDataException(Missing(sha256));
        var actual = FileWeightsStore.Hash(content);
        return actual == sha256 ? content : throw new InvalidDataException(Altered(sha256, actual));
    }

    /// <summary>
    /// The row hashed by the server (<see cref="Check"/>'s query), then read a piece at a time as it is sent
    /// (<see cref="DatabaseWeightsStream"/>): neither the whole content nor a pooled connection is held while a client downloads.
    /// </summary>
    public Stream OpenVerified(string sha256)
    {
        var (size, hash) = Hashed(sha256) ?? throw new InvalidDataException(Missing(sha256));
        return hash == sha256 ? new DatabaseWeightsStream(database, sha256, size, PieceBytes) : throw new InvalidDataException(Altered(sha256, hash));
    }

    /// <summary>The bytes each query of a download reads (<see cref="DatabaseWeightsStream.PieceBytes"/>; tests read in smaller pieces).</summary>
    internal int PieceBytes { get; set; } = DatabaseWeightsStream.PieceBytes;

    public void DeleteIfUnreferenced(string sha256, DbConnection connection)
    {
        try
        {
            Execute(connection, null, "DELETE FROM weights WHERE sha256 = @sha AND NOT EXISTS (SELECT 1 FROM versions WHERE weights_sha256 = @sha)",
                ("@sha", sha256));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // Another replica has just stored a version with the same weights: they stay.
        }
    }

    public int RemoveStray(IReadOnlySet<string> referenced, DbConnection connection) =>
        Execute(connection, null, "DELETE FROM weights w WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.weights_sha256 = w.sha256)");
}
