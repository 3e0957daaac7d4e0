namespace Phase4.Backend.Database;

/// <summary>Whether start-up migrations have been applied; until then readiness fails and API requests answer 503.</summary>
public sealed class DatabaseReadiness
{
    private volatile bool _schemaApplied;

    public bool SchemaApplied => _schemaApplied;

    internal void MarkSchemaApplied() => _schemaApplied = true;
}
