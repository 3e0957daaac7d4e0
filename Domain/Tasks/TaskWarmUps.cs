using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phase4.Domain.Accounts;
using Phase4.Domain.Data;
using Phase4.Domain.Quotas;

namespace Phase4.Domain.Tasks;

/// <summary>
/// The task operations' reads, compiled before the first request (both services serve them): the lists, a read and
/// the MCP token version look-up, all for the empty user id, which no account has. Apart from
/// <see cref="TaskWriteWarmUp"/> so that the two compile side by side, each on its own context (<see cref="IWarmUp"/>).
/// </summary>
internal sealed class TaskReadWarmUp : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<TodoDbContext>();
        var tasks = new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions()));
        foreach (var filter in Enum.GetValues<TaskStatusFilter>())
        {
            await tasks.ListAsync(Guid.Empty, filter, 50, 0, cancellationToken);
        }

        await tasks.GetAsync(Guid.Empty, 0, cancellationToken);
        await new AccountTokens(db, TimeProvider.System).GetMcpTokenVersionAsync(Guid.Empty, cancellationToken);
    }
}

/// <summary>
/// The task operations' writes, with nothing written: a change of a task that is not found and the quota's insert with
/// a quota of 0, for the empty user id.
/// </summary>
internal sealed class TaskWriteWarmUp : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<TodoDbContext>();
        var tasks = new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions()));
        await tasks.SetCompletedAsync(Guid.Empty, 0, null, null, cancellationToken);
        await TaskInsert.RunAsync(db, Guid.Empty, "warm-up", null, TimeProvider.System.GetDatabaseNow(), limit: 0, cancellationToken);
    }
}
