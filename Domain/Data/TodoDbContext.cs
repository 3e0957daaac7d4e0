using Microsoft.EntityFrameworkCore;
using Phase4.Domain.Accounts;
using Phase4.Domain.Conversations;
using Phase4.Domain.Tasks;

namespace Phase4.Domain.Data;

/// <summary>The application's database: accounts, tasks and conversations. Migrations live in this assembly.</summary>
public sealed class TodoDbContext(DbContextOptions<TodoDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<TodoTask> Tasks => Set<TodoTask>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ChatMessage> Messages => Set<ChatMessage>();
    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();
    public DbSet<RevokedToken> RevokedTokens => Set<RevokedToken>();
    public DbSet<TaskCountShard> TaskCounts => Set<TaskCountShard>();

    /// <summary>Provider options shared by every host and the design-time factory, so they cannot drift.</summary>
    public static void ConfigureProvider(DbContextOptionsBuilder options) => options.UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Email).HasMaxLength(AccountRules.EmailMaxLength);
            user.Property(u => u.NormalizedEmail).HasMaxLength(AccountRules.EmailMaxLength);
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
        });

        modelBuilder.Entity<SignInThrottle>(throttle =>
        {
            throttle.ToTable("sign_in_throttles");
            throttle.HasKey(t => new { t.UserId, t.ClientKey });
            throttle.Property(t => t.ClientKey).HasMaxLength(64);
            // The previous release inserts rows without it during a rolling update.
            throttle.Property(t => t.LastAttemptAt).HasDefaultValueSql("now()");
            throttle.HasIndex(t => t.LastAttemptAt);
            throttle.HasOne<UserAccount>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RevokedToken>(token =>
        {
            token.ToTable("revoked_tokens");
            token.HasKey(t => t.Jti);
            token.Property(t => t.Jti).HasMaxLength(64);
            token.HasOne<UserAccount>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            token.HasIndex(t => t.ExpiresAt);
        });

        modelBuilder.Entity<TodoTask>(task =>
        {
            task.ToTable("tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Title).HasMaxLength(TaskRules.TitleMaxLength);
            task.Property(t => t.Description).HasMaxLength(TaskRules.DescriptionMaxLength);
            task.Property(t => t.Version).IsRowVersion();
            task.HasOne<UserAccount>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);

            // Serves the list query: one user's tasks, newest first, optionally by status.
            task.HasIndex(t => new { t.UserId, t.CreatedAt, t.Id }).IsDescending(false, true, true);
        });

        modelBuilder.Entity<TaskCountShard>(shard =>
        {
            shard.ToTable("task_counts");
            shard.HasKey(c => new { c.UserId, c.Shard });
            shard.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Conversation>(conversation =>
        {
            conversation.ToTable("conversations");
            conversation.HasKey(c => c.Id);
            conversation.Property(c => c.Title).HasMaxLength(ConversationRules.TitleMaxLength);
            conversation.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
            conversation.HasIndex(c => new { c.UserId, c.UpdatedAt }).IsDescending(false, true);
        });

        modelBuilder.Entity<ChatMessage>(message =>
        {
            message.ToTable("messages");
            message.HasKey(m => m.Id);
            message.Property(m => m.Role).HasMaxLength(16);
            message.Property(m => m.ToolCallsJson).HasColumnType("jsonb").HasColumnName("tool_calls");
            message.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
            message.HasIndex(m => new { m.ConversationId, m.Id });

            // Serves the chat quota: one user's messages of the last hour.
            message.HasIndex(m => new { m.UserId, m.CreatedAt });
        });
    }
}
