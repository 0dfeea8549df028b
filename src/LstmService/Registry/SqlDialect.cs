namespace LstmService.Registry;

/// <summary>What the shared statements need to say differently to SQLite and to PostgreSQL.</summary>
/// <param name="Greatest">The larger of two values: SQLite's two-argument <c>MAX</c>, PostgreSQL's <c>GREATEST</c>.</param>
/// <param name="SkipLocked">Appended to the select that picks a queued job: PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>, so replicas
/// claiming at once each take a different row without waiting; nothing in SQLite, whose writers are serialised anyway.</param>
/// <param name="LockModel">A statement that holds a model's writes (keyed by <c>@lock</c>) until the transaction ends:
/// PostgreSQL's transaction-level advisory lock, so replicas adding, deleting and aliasing one model's versions take turns;
/// none in SQLite, whose one process serialises its writes.</param>
public sealed record SqlDialect(string Greatest, string SkipLocked, string? LockModel)
{
    public static readonly SqlDialect Sqlite = new("MAX", "", null);
    public static readonly SqlDialect Postgres = new("GREATEST", " FOR UPDATE SKIP LOCKED", "SELECT pg_advisory_xact_lock(hashtext(@lock))");
}
