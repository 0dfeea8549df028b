using System.Data.Common;
using System.Security.Cryptography;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// Weights files named by the SHA-256 of their content (weights/&lt;sha256&gt;.lstm), so identical weights are stored
/// once and a file can be checked against its name. Written atomically: a reader sees the whole file or none.
/// </summary>
public sealed class FileWeightsStore(SqliteRegistryDatabase database, ILogger<FileWeightsStore> logger) : IWeightsStore
{
    private const string Extension = ".lstm";
    private const string TempPrefix = ".tmp-";

    public string Directory => database.WeightsDirectory;

    public string PathFor(string sha256) => Path.Combine(Directory, sha256 + Extension);

    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The file is written and synced before the version row (in <paramref name="tx"/>) commits.</summary>
    public (string Sha256, long Size) Write(byte[] content, DbConnection connection, DbTransaction tx) => Write(content);

    public void DeleteIfUnreferenced(string sha256, DbConnection connection)
    {
        if (Scalar(connection, null, "SELECT 1 FROM versions WHERE weights_sha256 = @sha LIMIT 1", ("@sha", sha256)) is null)
            Delete(sha256);
    }

    public int RemoveStray(IReadOnlySet<string> referenced, DbConnection connection) => RemoveStrayFiles(referenced);

    /// <summary>Writes the content under its hash: temp file, flush to disk, rename, sync the directory. An existing intact file is kept.</summary>
    public (string Sha256, long Size) Write(byte[] content)
    {
        var sha = Hash(content);
        var target = PathFor(sha);
        if (Check(sha, content.LongLength) is null)
            return (sha, content.LongLength);

        RecreateMissingDirectory();
        var temp = Path.Combine(Directory, $"{TempPrefix}{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            // The rename itself is made durable before the caller commits the row that points at the file.
            DirectorySync.Flush(Directory);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return (sha, content.LongLength);
    }

    /// <summary>
    /// Makes the weights directory again when it went away under a running service (deleted by hand), as a restart would:
    /// every write had failed until then. A data directory itself gone is left
    /// missing, so the write fails as storage that cannot be written (a database in it would have gone with it).
    /// </summary>
    private void RecreateMissingDirectory()
    {
        if (System.IO.Directory.Exists(Directory) || !System.IO.Directory.Exists(database.DataDirectory)) return;
        System.IO.Directory.CreateDirectory(Directory);
        DirectorySync.Flush(database.DataDirectory);
        logger.LogWarning("The weights directory under the data directory was missing and has been made again; versions whose files were in it cannot be served until registered again.");
    }

    /// <summary>Null when the file exists with the expected size and hash; otherwise why it can't be served.</summary>
    public string? Check(string sha256, long expectedSize)
    {
        var path = PathFor(sha256);
        if (!File.Exists(path))
            return $"weights file weights/{sha256}{Extension} is missing";
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length != expectedSize)
                return $"weights file weights/{sha256}{Extension} has {stream.Length} bytes, expected {expectedSize}";
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            return actual == sha256 ? null : $"weights file weights/{sha256}{Extension} was altered (its SHA-256 is {actual})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"weights file weights/{sha256}{Extension} cannot be read: {e.Message}";
        }
    }

    public string? Fingerprint(string sha256)
    {
        var file = new FileInfo(PathFor(sha256));
        return file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : null;
    }

    /// <summary>Reads a file and verifies it against its hash; throws <see cref="InvalidDataException"/> when it doesn't match.</summary>
    public byte[] Read(string sha256) => WithRetries(sha256, stream =>
    {
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        return Verified(sha256, Hash(content), content);
    });

    /// <summary>The file opened at its start once it is hashed (a buffer at a time) and found intact; see <see cref="IWeightsStore.OpenVerified"/>.</summary>
    public Stream OpenVerified(string sha256) => WithRetries(sha256, stream =>
    {
        Verified(sha256, Convert.ToHexStringLower(SHA256.HashData(stream)), stream);
        stream.Position = 0;
        return stream;
    }, keepOpen: true);

    private T Verified<T>(string sha256, string actual, T content) => actual == sha256 ? content
        : throw new InvalidDataException($"weights file weights/{sha256}{Extension} was altered (its SHA-256 is {actual})");

    /// <summary>Reads attempts at a transient I/O error (a lock, a busy network disk) before giving up.</summary>
    public const int ReadAttempts = 3;

    /// <summary>Opens a file to read; tests replace it to fail like a locked or busy disk (which a test cannot provoke portably).</summary>
    internal Func<string, Stream> OpenFile { get; set; } = OpenForReading;

    /// <summary>Opens a file to read, letting it be deleted meanwhile (on Windows too): a download may hold it open for as long as its client reads.</summary>
    internal static Stream OpenForReading(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// <paramref name="use"/> of the weights file opened (disposed after, unless <paramref name="keepOpen"/> and it returned).
    /// A missing file is final at once; any other I/O error may pass, so it is tried <see cref="ReadAttempts"/> times with
    /// a short pause (short: the caller is a request) before it is thrown.
    /// </summary>
    private T WithRetries<T>(string sha256, Func<Stream, T> use, bool keepOpen = false)
    {
        var path = PathFor(sha256);
        for (var attempt = 1; ; attempt++)
        {
            Stream? stream = null;
            bool handedOver = false;
            try
            {
                stream = OpenFile(path);
                var result = use(stream);
                handedOver = keepOpen;
                return result;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new InvalidDataException($"weights file weights/{sha256}{Extension} is missing");
            }
            // A permission or a directory in the file's place throws UnauthorizedAccessException, not IOException: it had
            // answered a bare 500, where it is as unreadable as any other file the operator must fix.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && attempt < ReadAttempts && File.Exists(path))
            {
                Thread.Sleep(RetryDelay);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new IOException($"weights file {Path.GetFileName(path)} cannot be read: access denied", e);
            }
            finally
            {
                if (!handedOver) stream?.Dispose();
            }
        }
    }

    /// <summary>
    /// Deletes a file no version refers to any more. Called once the rows are gone: a file that cannot be deleted now (a
    /// read-only mount, a permission) is left to the next start's sweep, where throwing had answered the delete a 500
    /// that had in fact succeeded.
    /// </summary>
    public void Delete(string sha256)
    {
        var path = PathFor(sha256);
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Weights {Sha256} are no longer used but could not be deleted ({Error}); the next start removes them", sha256, e.Message);
        }
    }

    /// <summary>Removes leftovers of interrupted writes and files no version references (a crash between rename and row).</summary>
    public int RemoveStrayFiles(IReadOnlySet<string> referenced)
    {
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            var stray = name.StartsWith(TempPrefix, StringComparison.Ordinal)
                || (name.EndsWith(Extension, StringComparison.Ordinal) && !referenced.Contains(name[..^Extension.Length]));
            if (!stray) continue;
            try { File.Delete(file); removed++; }
            catch (IOException) { /* in use or gone: harmless, retried at the next start */ }
        }
        return removed;
    }
}
