using Microsoft.Extensions.DependencyInjection;
using Phase4.Domain.Accounts;
using Phase4.Domain.Data;

namespace Phase4.Domain.Tasks;

/// <summary>
/// The task operations' queries, compiled before the first request (both services serve them): lists, a read, a change
/// (not found, so nothing written), the quota's insert with a quota of 0 (so nothing inserted) and the MCP token
/// version look-up, all for the empty user id, which no account has.
/// </summary>
internal sealed class TaskWarmUp : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<TodoDbContext>();
        var tasks = new TaskService(db, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new Quotas.QuotaOptions()));
        foreach (var filter in Enum.GetValues<TaskStatusFilter>())
        {
            await tasks.ListAsync(Guid.Empty, filter, 50, 0, cancellationToken);
        }

        await tasks.GetAsync(Guid.Empty, 0, cancellationToken);
        await tasks.SetCompletedAsync(Guid.Empty, 0, null, null, cancellationToken);
        await TaskInsert.RunAsync(db, Guid.Empty, "warm-up", null, TimeProvider.System.GetDatabaseNow(), limit: 0, cancellationToken);
        await new AccountTokens(db, TimeProvider.System).GetMcpTokenVersionAsync(Guid.Empty, cancellationToken);
    }
}
