using System.Net;
using System.Text.Json;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LstmService.Tests;

/// <summary>A full disk or database answers 507 saying so, without the server's paths (it had been a bare 500).</summary>
public sealed class StorageFullTests
{
    [Theory]
    [InlineData(28, true)]   // ENOSPC, as .NET reports it on Linux: "No space left on device : '/data/weights/.tmp-...'"
    [InlineData(122, true)]  // EDQUOT
    [InlineData(13, false)]  // EACCES: another problem
    public void An_io_error_is_storage_full_by_its_code(int code, bool full)
    {
        Assert.Equal(full, StorageFullErrors.Is(new IOException("No space left on device : '/data/weights/.tmp-1'", code)));
        Assert.Equal(full, StorageFullErrors.Is(new InvalidOperationException("wrapped", new IOException("x", code))));
    }

    [Fact]
    public void Sqlite_full_is_storage_full_and_busy_is_not()
    {
        Assert.True(StorageFullErrors.Is(new SqliteException("database or disk is full", 13)));
        Assert.False(StorageFullErrors.Is(new SqliteException("database is locked", 5)));
    }

    [Fact]
    public void A_read_only_or_forbidden_storage_is_unwritable_and_a_full_one_is_not()
    {
        Assert.True(StorageUnwritableErrors.Is(new IOException("Read-only file system : '/data/weights/.tmp-1'", 30)));
        Assert.True(StorageUnwritableErrors.Is(new UnauthorizedAccessException("Access to the path '/data/weights/.tmp-1' is denied.")));
        Assert.True(StorageUnwritableErrors.Is(new InvalidOperationException("wrapped", new SqliteException("attempt to write a readonly database", 8))));
        Assert.True(StorageUnwritableErrors.Is(new SqliteException("unable to open database file", 14)));
        Assert.True(StorageUnwritableErrors.Is(new SqliteException("disk I/O error", 10)));
        Assert.True(StorageUnwritableErrors.Is(new PostgresException("permission denied for table jobs", "ERROR", "ERROR", "42501")));
        Assert.False(StorageUnwritableErrors.Is(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));
        Assert.False(StorageUnwritableErrors.Is(new IOException("No space left on device", 28)));
        Assert.False(StorageUnwritableErrors.Is(new SqliteException("database is locked", 5)));
    }

    [Fact]
    public async Task The_handler_answers_503_for_a_read_only_storage_without_the_path()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<StorageFullExceptionHandler>(services, NullLogger<StorageFullExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(http, new SqliteException("SQLite Error 8: 'attempt to write a readonly database'.", 8), default));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("10", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(http.Response.Body).RootElement;
        Assert.Equal(StorageUnwritableErrors.Message, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_handler_answers_507_without_the_path()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<StorageFullExceptionHandler>(services, NullLogger<StorageFullExceptionHandler>.Instance);

        Assert.False(await handler.TryHandleAsync(http, new IOException("other"), default));
        Assert.True(await handler.TryHandleAsync(http, new IOException("No space left on device : '/data/weights/.tmp-1'", 28), default));

        Assert.Equal(StatusCodes.Status507InsufficientStorage, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(http.Response.Body).RootElement;
        Assert.Equal(507, problem.GetProperty("status").GetInt32());
        Assert.Equal(StorageFullErrors.Message, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("/data", problem.GetRawText());
    }
}
