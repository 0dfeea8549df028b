namespace LstmService.Registry;

/// <summary>
/// Versions a request without <c>?version</c> or <c>?alias</c> is not answered by while an older one can answer it: a
/// feature that trains versions on trial (drift's challengers) keeps them out of that default until they prove better.
/// </summary>
public interface IDefaultVersionFilter
{
    /// <summary>The versions of <paramref name="model"/> (among <paramref name="versions"/>) held out of the default.</summary>
    IReadOnlySet<int> HeldBack(string model, IReadOnlyList<VersionRecord> versions);
}
