using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class IpeChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BasedOnNumber",
                table: "IpeVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeKind",
                table: "IpeVersions",
                type: "TEXT",
                nullable: false,
                // Before this migration the only versions were the seed catalog's.
                defaultValue: "Seed");

            migrationBuilder.AddColumn<string>(
                name: "RejectedAt",
                table: "IpeVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RejectedBy",
                table: "IpeVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewComment",
                table: "IpeVersions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BasedOnNumber",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "ChangeKind",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "RejectedAt",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "RejectedBy",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "ReviewComment",
                table: "IpeVersions");
        }
    }
}
