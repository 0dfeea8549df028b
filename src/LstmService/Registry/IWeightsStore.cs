using System.Data.Common;

namespace LstmService.Registry;

/// <summary>
/// Weights keyed by the SHA-256 of their content, so identical weights are stored once and every read is checked against
/// its key: files beside the SQLite database (<see cref="FileWeightsStore"/>) or rows of the PostgreSQL database
/// (<see cref="DatabaseWeightsStore"/>).
/// </summary>
public interface IWeightsStore
{
    /// <summary>
    /// Stores the content under its hash as part of adding a version, before the version row in <paramref name="tx"/>: the
    /// file store writes and syncs the file (a crash leaves at worst a stray file), the database store writes the row in the
    /// same transaction.
    /// </summary>
    (string Sha256, long Size) Write(byte[] content, DbConnection connection, DbTransaction tx);

    /// <summary>Null when the weights exist with the expected size and hash; otherwise why they can't be served.</summary>
    string? Check(string sha256, long expectedSize);

    /// <summary>
    /// A cheap token that changes whenever the stored weights are written or replaced (a file's size and write time, a row's
    /// transaction id); null when they are missing. Unavailable versions are checked again only when it changes.
    /// </summary>
    string? Fingerprint(string sha256);

    /// <summary>The content, verified against its hash; throws <see cref="InvalidDataException"/> when it is missing or doesn't match.</summary>
    byte[] Read(string sha256);

    /// <summary>
    /// The content as a stream to send, verified against its hash first without being held whole (a download: read whole,
    /// thirty at once of a 64 MiB version had held 2 GB); throws <see cref="InvalidDataException"/> as <see cref="Read"/>.
    /// </summary>
    Stream OpenVerified(string sha256);

    /// <summary>After the transaction that removed a version: deletes the weights unless another version still uses them.</summary>
    void DeleteIfUnreferenced(string sha256, DbConnection connection);

    /// <summary>At start: removes leftovers of interrupted writes and weights no version references; returns how many.</summary>
    int RemoveStray(IReadOnlySet<string> referenced, DbConnection connection);
}
