using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Reperformance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReperformanceJson",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReperformanceOf",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ReperformanceOf",
                table: "Runs",
                column: "ReperformanceOf");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_ReperformanceOf",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ReperformanceJson",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ReperformanceOf",
                table: "Runs");
        }
    }
}
