using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Phase4.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class TaskCountShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "task_counts",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    tasks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_task_counts", x => new { x.user_id, x.shard });
                    table.ForeignKey(
                        name: "fk_task_counts_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The task count moves from users.task_count (one row per account, which every create of the account
            // updated and so locked until its commit) to shards (Tasks/TaskCountShard.cs): each insert and delete
            // counts on the shard of its database session. Writers wait for this transaction (SHARE lock), so the
            // count taken here misses none. users.task_count is no longer maintained (dropped in a later release).
            migrationBuilder.Sql("""
                LOCK TABLE tasks IN SHARE MODE;
                CREATE OR REPLACE FUNCTION count_user_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    own_shard smallint := pg_backend_pid() % 16;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO task_counts AS c (user_id, shard, tasks) VALUES (NEW.user_id, own_shard, 1)
                            ON CONFLICT (user_id, shard) DO UPDATE SET tasks = c.tasks + 1;
                    ELSE
                        UPDATE task_counts SET tasks = tasks - 1 WHERE user_id = OLD.user_id AND shard = own_shard;
                        -- A task deleted with its account (cascade) has no account left to count for.
                        IF NOT FOUND THEN
                            INSERT INTO task_counts AS c (user_id, shard, tasks)
                                SELECT OLD.user_id, own_shard, -1 WHERE EXISTS (SELECT FROM users WHERE id = OLD.user_id)
                                ON CONFLICT (user_id, shard) DO UPDATE SET tasks = c.tasks - 1;
                        END IF;
                    END IF;
                    RETURN NULL;
                END $$;
                INSERT INTO task_counts (user_id, shard, tasks) SELECT user_id, 0, count(*) FROM tasks GROUP BY user_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                LOCK TABLE tasks IN SHARE MODE;
                CREATE OR REPLACE FUNCTION count_user_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        UPDATE users SET task_count = task_count + 1 WHERE id = NEW.user_id;
                    ELSE
                        UPDATE users SET task_count = task_count - 1 WHERE id = OLD.user_id;
                    END IF;
                    RETURN NULL;
                END $$;
                UPDATE users SET task_count = (SELECT count(*) FROM tasks WHERE tasks.user_id = users.id);
                """);

            migrationBuilder.DropTable(
                name: "task_counts");
        }
    }
}
