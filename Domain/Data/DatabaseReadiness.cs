namespace Phase4.Domain.Data;

/// <summary>
/// Whether the migrator has brought the schema up to this build (<see cref="SchemaWatcher"/> finds out); until then
/// readiness fails, and Backend.Api answers its API requests with 503.
/// </summary>
public sealed class DatabaseReadiness
{
    private volatile bool _schemaApplied;

    public bool SchemaApplied => _schemaApplied;

    internal void MarkSchemaApplied() => _schemaApplied = true;
}
