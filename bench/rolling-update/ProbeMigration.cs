// Not part of the product: bench/rolling-update/build-next-release.sh copies the sources, adds this file to
// Domain/Data/Migrations of the copy and builds Backend.Api from it, as the "next release" of the rolling-update proof.
// The attributes are what EF Core's migrator and the backend's readiness (DatabaseSchema.KnownMigrations) find
// migrations by. It only adds a nullable column, the kind of change docs/kubernetes.md allows while the previous
// release still serves: that release's inserts and selects name their columns, so they neither see nor need it.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Phase4.Domain.Data.Migrations;

[DbContext(typeof(TodoDbContext))]
[Migration("29991231000000_RollingUpdateProbe")]
public sealed class RollingUpdateProbe : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "rolling_update_probe", table: "tasks", type: "text", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "rolling_update_probe", table: "tasks");
}
