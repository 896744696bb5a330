using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunLeasesAndAuditPredecessor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseExpiresAt",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            // Entries written before keep PreviousId NULL, which a unique index allows any number of times,
            // so a trail that already forked still migrates; every entry from now on names its predecessor.
            // ADD COLUMN keeps the table (and its triggers refusing UPDATE and DELETE) as it is.
            migrationBuilder.AddColumn<long>(
                name: "PreviousId",
                table: "AuditTrail",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_PreviousId",
                table: "AuditTrail",
                column: "PreviousId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditTrail_PreviousId",
                table: "AuditTrail");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "PreviousId",
                table: "AuditTrail");
        }
    }
}
