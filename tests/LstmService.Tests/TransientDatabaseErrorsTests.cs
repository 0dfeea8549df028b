using LstmService.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LstmService.Tests;

/// <summary>Which database errors count as the database being away for a moment (503, retried) and which as a real failure.</summary>
public sealed class TransientDatabaseErrorsTests
{
    [Theory]
    [InlineData("57P01", true)]  // terminating connection due to administrator command
    [InlineData("57P03", true)]  // the database system is starting up
    [InlineData("08006", true)]  // connection failure
    [InlineData("53300", true)]  // too many connections
    [InlineData("40P01", true)]  // deadlock detected
    [InlineData("25006", true)]  // read-only transaction: a failover reached a standby
    [InlineData("53100", false)] // disk full: StorageFullErrors' (507), not retried as an outage
    [InlineData("23505", false)] // unique violation: a bug or a race a retry repeats
    [InlineData("42P01", false)] // undefined table
    [InlineData("28P01", false)] // wrong password: an operator's to fix
    public void Postgres_states(string state, bool transient) =>
        Assert.Equal(transient, TransientDatabaseErrors.Is(new PostgresException("message", "FATAL", "FATAL", state)));

    [Fact]
    public void A_connection_that_broke_or_timed_out_is_transient_even_when_wrapped()
    {
        Assert.True(TransientDatabaseErrors.Is(new NpgsqlException("broken", new IOException("reset"))));
        Assert.True(TransientDatabaseErrors.Is(new InvalidOperationException("outer", new NpgsqlException("timeout", new TimeoutException()))));
        Assert.False(TransientDatabaseErrors.Is(new NpgsqlException("no inner")));
        Assert.False(TransientDatabaseErrors.Is(new InvalidOperationException("not a database error")));
    }

    [Theory]
    [InlineData(5, true)]   // SQLITE_BUSY
    [InlineData(6, true)]   // SQLITE_LOCKED
    [InlineData(11, false)] // SQLITE_CORRUPT
    [InlineData(19, false)] // SQLITE_CONSTRAINT
    public void Sqlite_codes(int code, bool transient) =>
        Assert.Equal(transient, TransientDatabaseErrors.Is(new SqliteException("message", code)));
}
