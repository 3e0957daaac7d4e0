using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Phase4.Domain.Data;

/// <summary>Asks the database whether every migration this build knows has been applied.</summary>
public static class DatabaseSchema
{
    public static async Task<bool> IsCurrentAsync(TodoDbContext db, CancellationToken cancellationToken)
    {
        var known = db.GetService<IMigrationsAssembly>().Migrations.Keys;
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(cancellationToken))
        {
            return false;
        }

        var applied = (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet();
        return known.All(applied.Contains);
    }
}
