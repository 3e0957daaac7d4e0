using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Phase4.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInThrottleExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_attempt_at",
                table: "sign_in_throttles",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_throttles_last_attempt_at",
                table: "sign_in_throttles",
                column: "last_attempt_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sign_in_throttles_last_attempt_at",
                table: "sign_in_throttles");

            migrationBuilder.DropColumn(
                name: "last_attempt_at",
                table: "sign_in_throttles");
        }
    }
}
