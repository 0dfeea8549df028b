namespace LstmService.Tests;

/// <summary>The repository the tests were built in (the folder holding LstmService.sln), for tests that read its documents.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmService.sln"))) return dir.FullName;
        throw new InvalidOperationException("The tests run outside the repository: no LstmService.sln above " + AppContext.BaseDirectory);
    }
}
