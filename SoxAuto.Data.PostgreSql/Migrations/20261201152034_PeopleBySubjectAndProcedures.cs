using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SoxAuto.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PeopleBySubjectAndProcedures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite's PeopleBySubject and ReperformanceAndSampling in one: the PostgreSQL provider arrived in the
            // same release, so no PostgreSQL database holds rows from before subjects and none needs legacy subjects.
            migrationBuilder.AddColumn<string>(
                name: "BySubject",
                table: "SignOffs",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChangedBySubject",
                table: "Schedules",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CreatedBySubject",
                table: "Schedules",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CancelledBySubject",
                table: "Runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReperformanceJson",
                table: "Runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReperformanceOf",
                table: "Runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBySubject",
                table: "Runs",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ApprovedBySubject",
                table: "IpeVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthoredBySubject",
                table: "IpeVersions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RejectedBySubject",
                table: "IpeVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApprovedBySubject",
                table: "ControlVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthoredBySubject",
                table: "ControlVersions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RejectedBySubject",
                table: "ControlVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBySubject",
                table: "Batches",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Format",
                table: "AuditTrail",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "WhoSubject",
                table: "AuditTrail",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IssuedBySubject",
                table: "AccessTokens",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RevokedBySubject",
                table: "AccessTokens",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Samples",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Method = table.Column<string>(type: "text", nullable: false),
                    Size = table.Column<int>(type: "integer", nullable: false),
                    Seed = table.Column<long>(type: "bigint", nullable: false),
                    AmountColumn = table.Column<string>(type: "text", nullable: true),
                    StratumColumn = table.Column<string>(type: "text", nullable: true),
                    PopulationRows = table.Column<long>(type: "bigint", nullable: false),
                    PopulationAmount = table.Column<string>(type: "text", nullable: true),
                    Interval = table.Column<string>(type: "text", nullable: true),
                    RandomStart = table.Column<string>(type: "text", nullable: true),
                    ExtractSha256 = table.Column<string>(type: "text", nullable: false),
                    ColumnsJson = table.Column<string>(type: "text", nullable: false),
                    DrawnBy = table.Column<string>(type: "text", nullable: false),
                    DrawnAt = table.Column<string>(type: "text", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SampleId = table.Column<int>(type: "integer", nullable: false),
                    RowNumber = table.Column<long>(type: "bigint", nullable: false),
                    Stratum = table.Column<string>(type: "text", nullable: true),
                    Units = table.Column<string>(type: "text", nullable: true),
                    ValuesJson = table.Column<string>(type: "text", nullable: false)
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
                name: "IX_Runs_RequestedBySubject",
                table: "Runs",
                column: "RequestedBySubject");

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

            migrationBuilder.DropIndex(
                name: "IX_Runs_RequestedBySubject",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BySubject",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "ChangedBySubject",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "CreatedBySubject",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "CancelledBySubject",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ReperformanceJson",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ReperformanceOf",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "RequestedBySubject",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ApprovedBySubject",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "AuthoredBySubject",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "RejectedBySubject",
                table: "IpeVersions");

            migrationBuilder.DropColumn(
                name: "ApprovedBySubject",
                table: "ControlVersions");

            migrationBuilder.DropColumn(
                name: "AuthoredBySubject",
                table: "ControlVersions");

            migrationBuilder.DropColumn(
                name: "RejectedBySubject",
                table: "ControlVersions");

            migrationBuilder.DropColumn(
                name: "RequestedBySubject",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "Format",
                table: "AuditTrail");

            migrationBuilder.DropColumn(
                name: "WhoSubject",
                table: "AuditTrail");

            migrationBuilder.DropColumn(
                name: "IssuedBySubject",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "RevokedBySubject",
                table: "AccessTokens");
        }
    }
}
