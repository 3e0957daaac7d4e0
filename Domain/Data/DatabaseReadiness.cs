namespace Phase4.Backend.Database;

/// <summary>Whether the migrator has brought the schema up to this build; until then readiness fails and API requests answer 503.</summary>
public sealed class DatabaseReadiness
{
    private volatile bool _schemaApplied;

    public bool SchemaApplied => _schemaApplied;

    internal void MarkSchemaApplied() => _schemaApplied = true;
}
