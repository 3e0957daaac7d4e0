using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Phase4.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuotasAndTokenRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "mcp_token_version",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "task_count",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // users.task_count is what the task quota reads (Tasks/TaskInsert.cs): a trigger keeps it exact for every
            // insert and delete, whichever code (or release, during a rolling update) makes it.
            migrationBuilder.Sql("""
                CREATE FUNCTION count_user_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        UPDATE users SET task_count = task_count + 1 WHERE id = NEW.user_id;
                    ELSE
                        UPDATE users SET task_count = task_count - 1 WHERE id = OLD.user_id;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tasks_count_per_user AFTER INSERT OR DELETE ON tasks
                    FOR EACH ROW EXECUTE FUNCTION count_user_tasks();
                UPDATE users SET task_count = (SELECT count(*) FROM tasks WHERE tasks.user_id = users.id);
                """);

            migrationBuilder.CreateTable(
                name: "revoked_tokens",
                columns: table => new
                {
                    jti = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revoked_tokens", x => x.jti);
                    table.ForeignKey(
                        name: "fk_revoked_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_throttles",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    blocked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_throttles", x => new { x.user_id, x.client_key });
                    table.ForeignKey(
                        name: "fk_sign_in_throttles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_user_id_created_at",
                table: "messages",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_revoked_tokens_expires_at",
                table: "revoked_tokens",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_revoked_tokens_user_id",
                table: "revoked_tokens",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revoked_tokens");

            migrationBuilder.DropTable(
                name: "sign_in_throttles");

            migrationBuilder.DropIndex(
                name: "ix_messages_user_id_created_at",
                table: "messages");

            migrationBuilder.Sql("DROP TRIGGER tasks_count_per_user ON tasks; DROP FUNCTION count_user_tasks();");

            migrationBuilder.DropColumn(
                name: "mcp_token_version",
                table: "users");

            migrationBuilder.DropColumn(
                name: "task_count",
                table: "users");
        }
    }
}
