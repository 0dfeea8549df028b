using System.Collections.Concurrent;
using System.Data.Common;
using LstmService.Registry;
using Microsoft.Data.Sqlite;

namespace LstmService.Tests;

/// <summary>The SQLite group commit behind stream appends: writes queued together share a transaction, each keeps its own result and error.</summary>
public sealed class GroupCommitWriterTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        LstmServiceFactory.DeleteDirectory(_directory);
    }

    private DbConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "test.db")}");
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Count(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Inserts a row n (negative: throws; 0: an update that matches nothing, so false).</summary>
    private static bool Insert(DbConnection connection, DbTransaction tx, int n)
    {
        if (n < 0) throw new InvalidOperationException($"write {n} refused");
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = n == 0 ? "UPDATE rows SET n = n WHERE n = -1" : $"INSERT INTO rows (n) VALUES ({n})";
        return command.ExecuteNonQuery() == 1;
    }

    [Fact]
    public async Task Writes_queued_while_one_commits_share_the_next_transaction_and_each_gets_its_result()
    {
        Execute("CREATE TABLE rows (n INTEGER NOT NULL)");
        using var release = new ManualResetEventSlim();
        var transactions = new ConcurrentDictionary<DbTransaction, byte>();
        using var writer = new GroupCommitWriter<int>(Connect, (c, tx, n) =>
        {
            transactions.TryAdd(tx, 0);
            if (n == 1) release.Wait(TimeSpan.FromSeconds(30)); // the first write holds its transaction open
            return Insert(c, tx, n);
        }, "test writes");

        var first = writer.WriteAsync(1);
        var rest = Enumerable.Range(2, 199).Select(writer.WriteAsync).ToList();
        var unmatched = writer.WriteAsync(0);
        release.Set();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(rest), Assert.True);
        Assert.False(await unmatched);
        Assert.Equal(200, Count("SELECT COUNT(*) FROM rows"));
        // 201 writes: those read with the first share its transaction, the rest (queued while it was held) one or two more.
        Assert.InRange(transactions.Count, 1, 3);
    }

    [Fact]
    public async Task A_write_that_fails_fails_alone_and_the_others_of_its_batch_commit()
    {
        Execute("CREATE TABLE rows (n INTEGER NOT NULL)");
        using var release = new ManualResetEventSlim();
        using var writer = new GroupCommitWriter<int>(Connect, (c, tx, n) =>
        {
            if (n == 1) release.Wait(TimeSpan.FromSeconds(30));
            return Insert(c, tx, n);
        }, "test writes");

        var first = writer.WriteAsync(1);
        var good = new[] { writer.WriteAsync(2), writer.WriteAsync(3) };
        var bad = writer.WriteAsync(-4);
        var after = writer.WriteAsync(5);
        release.Set();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(good), Assert.True);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("write -4 refused", error.Message);
        Assert.True(await after);
        Assert.Equal(4, Count("SELECT COUNT(*) FROM rows"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM rows WHERE n = -4"));
    }

    [Fact]
    public async Task After_dispose_a_write_is_refused_and_what_was_queued_committed()
    {
        Execute("CREATE TABLE rows (n INTEGER NOT NULL)");
        var writer = new GroupCommitWriter<int>(Connect, Insert, "test writes");
        var queued = Enumerable.Range(1, 50).Select(writer.WriteAsync).ToList();
        writer.Dispose();
        Assert.All(await Task.WhenAll(queued), Assert.True);
        Assert.Equal(50, Count("SELECT COUNT(*) FROM rows"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync(51));
    }

    [Fact]
    public async Task A_connection_that_fails_fails_its_whole_batch_at_once_and_the_writer_goes_on()
    {
        Execute("CREATE TABLE rows (n INTEGER NOT NULL)");
        using var release = new ManualResetEventSlim();
        int connects = 0;
        using var writer = new GroupCommitWriter<int>(() =>
        {
            // The second connection (the batch queued behind the first write) cannot be opened; later ones can.
            if (Interlocked.Increment(ref connects) == 2) throw new InvalidOperationException("database is locked");
            return Connect();
        }, (c, tx, n) =>
        {
            if (n == 1) release.Wait(TimeSpan.FromSeconds(30));
            return Insert(c, tx, n);
        }, "test writes");

        var first = writer.WriteAsync(1);
        while (Volatile.Read(ref connects) == 0) await Task.Delay(10); // the first batch holds its connection
        var queued = Enumerable.Range(2, 50).Select(writer.WriteAsync).ToList();
        release.Set();

        Assert.True(await first);
        foreach (var write in queued)
            Assert.Equal("database is locked", (await Assert.ThrowsAsync<InvalidOperationException>(() => write)).Message);
        // One connection attempt for the 50 (not one each), and the writer still commits what comes next.
        Assert.Equal(2, Volatile.Read(ref connects));
        Assert.True(await writer.WriteAsync(99));
        Assert.Equal(2, Count("SELECT COUNT(*) FROM rows"));
    }
}

