using Npgsql;

namespace LstmService.Tests;

/// <summary>
/// The PostgreSQL server the PostgreSQL variants of the storage tests use: the connection string in LSTMSERVICE_TEST_POSTGRES
/// (a role that may create databases; <c>.ci/run</c> starts a throwaway cluster and sets it). Each test gets a database of
/// its own, dropped afterwards. Without the variable, or when the server does not answer, those tests are skipped with
/// <see cref="SkipReason"/>, never passed.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LSTMSERVICE_TEST_POSTGRES";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Null when the server answers; otherwise why the PostgreSQL tests are skipped.</summary>
    public static string? SkipReason => Unavailable.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        if (SkipReason is { } reason) throw new InvalidOperationException(reason);
        var name = "lstm_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database <see cref="CreateDatabase"/> made, closing whatever connections still use it.</summary>
    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        try
        {
            using var connection = new NpgsqlConnection(AdminConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException) { /* best effort: a throwaway database on a throwaway server */ }
    }

    /// <summary>Runs one statement on a test database and returns the first column of the first row.</summary>
    public static object? Scalar(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private static string? Probe()
    {
        if (AdminConnectionString is not { } cs)
            return $"No PostgreSQL for the PostgreSQL storage tests: set {Variable} to a connection string of a role that may create databases (.ci/run starts a throwaway cluster and sets it).";
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Timeout = 5 }.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            return $"The PostgreSQL server of {Variable} does not answer ({e.Message}); the PostgreSQL storage tests are skipped.";
        }
    }
}
