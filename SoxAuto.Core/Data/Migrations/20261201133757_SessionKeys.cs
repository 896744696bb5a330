using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SessionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Xml = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SessionKeys_Name",
                table: "SessionKeys",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SessionKeys");
        }
    }
}
