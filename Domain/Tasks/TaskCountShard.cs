namespace Phase4.Domain.Tasks;

/// <summary>
/// One part of an account's task count: the account has the sum of its shards' <see cref="Tasks"/>. A trigger on
/// <c>tasks</c> (migration TaskCountShards) adds each insert and delete to the shard of the database session that
/// makes it (its process id modulo <see cref="Count"/>), so one account's concurrent creates on different pooled
/// connections update different rows and none waits for another's commit, as they did on one counter row (issue 26).
/// The task quota reads the sum (<see cref="TaskInsert"/>). The application never writes it.
/// </summary>
public sealed class TaskCountShard
{
    /// <summary>Shards per account: more than one process's share of concurrent creates is ever likely to be.</summary>
    public const int Count = 16;

    public Guid UserId { get; set; }
    public short Shard { get; set; }

    /// <summary>Inserts minus deletes made through this shard; one shard may go below zero, the sum never does.</summary>
    public int Tasks { get; set; }
}
