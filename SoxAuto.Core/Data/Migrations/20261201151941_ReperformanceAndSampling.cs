using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReperformanceAndSampling : Migration
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

            migrationBuilder.CreateTable(
                name: "Samples",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    Seed = table.Column<long>(type: "INTEGER", nullable: false),
                    AmountColumn = table.Column<string>(type: "TEXT", nullable: true),
                    StratumColumn = table.Column<string>(type: "TEXT", nullable: true),
                    PopulationRows = table.Column<long>(type: "INTEGER", nullable: false),
                    PopulationAmount = table.Column<string>(type: "TEXT", nullable: true),
                    Interval = table.Column<string>(type: "TEXT", nullable: true),
                    RandomStart = table.Column<string>(type: "TEXT", nullable: true),
                    ExtractSha256 = table.Column<string>(type: "TEXT", nullable: false),
                    ColumnsJson = table.Column<string>(type: "TEXT", nullable: false),
                    DrawnBy = table.Column<string>(type: "TEXT", nullable: false),
                    DrawnAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Samples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Samples_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SampledRow",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SampleId = table.Column<int>(type: "INTEGER", nullable: false),
                    RowNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Stratum = table.Column<string>(type: "TEXT", nullable: true),
                    Units = table.Column<string>(type: "TEXT", nullable: true),
                    ValuesJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SampledRow", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SampledRow_Samples_SampleId",
                        column: x => x.SampleId,
                        principalTable: "Samples",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ReperformanceOf",
                table: "Runs",
                column: "ReperformanceOf");

            migrationBuilder.CreateIndex(
                name: "IX_SampledRow_SampleId",
                table: "SampledRow",
                column: "SampleId");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_RunId",
                table: "Samples",
                column: "RunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SampledRow");

            migrationBuilder.DropTable(
                name: "Samples");

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
