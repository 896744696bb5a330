using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditFiltersAndPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", nullable: true),
                    SignIn = table.Column<string>(type: "TEXT", nullable: false),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    Groups = table.Column<string>(type: "TEXT", nullable: false),
                    LastSignInAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Subject);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Action_Subject_At",
                table: "AuditTrail",
                columns: new[] { "Action", "Subject", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_At",
                table: "AuditTrail",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Subject",
                table: "AuditTrail",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Who",
                table: "AuditTrail",
                column: "Who");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "People");

            migrationBuilder.DropIndex(
                name: "IX_AuditTrail_Action_Subject_At",
                table: "AuditTrail");

            migrationBuilder.DropIndex(
                name: "IX_AuditTrail_At",
                table: "AuditTrail");

            migrationBuilder.DropIndex(
                name: "IX_AuditTrail_Subject",
                table: "AuditTrail");

            migrationBuilder.DropIndex(
                name: "IX_AuditTrail_Who",
                table: "AuditTrail");
        }
    }
}
