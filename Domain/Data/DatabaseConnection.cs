namespace Phase4.Domain.Data;

/// <summary>
/// The connection string the <see cref="TodoDbContext"/> uses (bounded time-outs included), for the schema checks
/// that run on plain Npgsql before EF Core is needed. Null when none is configured.
/// </summary>
public sealed record DatabaseConnection(string? ConnectionString)
{
    public string Required => ConnectionString
        ?? throw new InvalidOperationException($"ConnectionStrings:{DatabaseSetup.ConnectionName} is not configured.");
}
