namespace LstmService.Tests;

/// <summary>Storage:Provider and Storage:ConnectionString are checked at start, and the connection string is never echoed.</summary>
public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("mysql", null, "Storage:Provider must be 'sqlite' (the default, one process) or 'postgres' (replicas on a shared database) (it is 'mysql').")]
    [InlineData("Host=db;Password=hunter2", null, "Storage:Provider must be 'sqlite' (the default, one process) or 'postgres' (replicas on a shared database).")]
    [InlineData("sqlite", "Host=db;Password=hunter2", "Storage:ConnectionString is set but Storage:Provider is 'sqlite', which does not read it")]
    [InlineData("postgres", null, "Storage:ConnectionString is required")]
    [InlineData("postgres", "Database=x;Password=hunter2", "Storage:ConnectionString names no Host")]
    [InlineData("postgres", "Host=db;Bogus Key=1;Password=hunter2", "not a valid Npgsql connection string: 'bogus key' is no keyword Npgsql knows")]
    [InlineData("postgres", "Host=db;Port=hunter2;Password=x", "not a valid Npgsql connection string: the value of 'port' is not one Npgsql takes (not shown)")]
    [InlineData("postgres", "Host=db;hunter2;Password=x", "not a valid Npgsql connection string: a part is not keyword=value (not shown)")]
    [InlineData("postgres", "Host=db;Password='a;hunter2=1';Bogus=1", "not a valid Npgsql connection string: 'bogus' is no keyword Npgsql knows")]
    public async Task A_bad_storage_setting_stops_the_start_naming_it(string provider, string? connectionString, string expected)
    {
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
        })).ToString();
        Assert.Contains(expected, error);
        Assert.DoesNotContain("hunter2", error);
    }
}
