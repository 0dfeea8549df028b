using System.Net;
using System.Text.Json;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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
