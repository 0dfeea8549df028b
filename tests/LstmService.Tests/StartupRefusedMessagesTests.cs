using LstmService.Infrastructure;
using Npgsql;

namespace LstmService.Tests;

/// <summary>A refused start's reasons, as the one log line <see cref="StartupRefusedException.Messages"/> makes of them.</summary>
public sealed class StartupRefusedMessagesTests
{
    [Fact]
    public void A_start_refusal_from_postgres_is_one_line()
    {
        // Npgsql's Message appends "\n\nPOSITION: 28", which split the refusal over three log lines.
        var error = new InvalidOperationException("The registry could not be opened", new PostgresException("relation \"models\" does not exist", "ERROR", "ERROR", "42P01", position: 28));
        var message = StartupRefusedException.Messages(error);
        Assert.DoesNotContain('\n', message);
        Assert.Equal("The registry could not be opened: 42P01: relation \"models\" does not exist", message);
    }
}
