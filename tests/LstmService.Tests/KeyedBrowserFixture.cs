namespace LstmService.Tests;

/// <summary>The browser fixture with API keys on (the read and write keys of <see cref="AuthFixture"/>).</summary>
public sealed class KeyedBrowserFixture() : BrowserFixture(AuthFixture.Settings);
