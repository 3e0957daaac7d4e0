namespace Phase4.Domain.Data;

/// <summary>
/// Whether the migrator has brought the schema up to this build (<see cref="SchemaWatcher"/> finds out); until then
/// readiness fails, and Backend.Api answers its API requests with 503. Then the process warms up (<see cref="IWarmUp"/>),
/// serving requests already (the warm-up makes some of its own) but not ready until it is done.
/// </summary>
public sealed class DatabaseReadiness
{
    private volatile bool _schemaApplied;
    private volatile bool _warmedUp;
    private volatile bool _started;

    public bool SchemaApplied => _schemaApplied;

    public bool WarmedUp => _warmedUp;

    /// <summary>
    /// The start-up is over: warmed up, or waiting for the database or the migrator, which may take any time (then
    /// readiness tells, and the liveness probe takes over). <see cref="StartupHealthCheck"/> reports it.
    /// </summary>
    public bool Started => _started;

    internal void MarkSchemaApplied() => _schemaApplied = true;

    internal void MarkWarmedUp() => _started = _warmedUp = true;

    internal void MarkWaiting() => _started = true;
}
