using System.Data.Common;
using System.Globalization;

namespace LstmService.Registry;

/// <summary>
/// Small ADO helpers shared by both providers: the schema is tiny, so plain SQL beats a mapper dependency. Statements
/// name their parameters <c>@name</c>, which SQLite and Npgsql both accept, so one statement serves both databases;
/// where their SQL differs the statement takes the difference from <see cref="SqlDialect"/>.
/// </summary>
public static class Sql
{
    public static int Execute(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static List<T> Query<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    /// <summary>As <see cref="Scalar"/>, without blocking a thread while the database answers.</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Timestamps are stored as ISO 8601 UTC text of fixed width in both databases, so they compare and sort as text.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string? GetStringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static int? GetInt32OrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    public static double? GetDoubleOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
    public static DateTimeOffset? GetTimestampOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : ParseTimestamp(r.GetString(i));
}
