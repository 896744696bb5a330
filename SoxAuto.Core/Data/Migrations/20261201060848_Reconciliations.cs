using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Reconciliations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "IpeVersionId",
                table: "Runs",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<int>(
                name: "ControlVersionId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Runs",
                type: "TEXT",
                nullable: false,
                defaultValue: "Ipe"); // every run made before reconciliations existed is an IPE run

            migrationBuilder.CreateTable(
                name: "ControlVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ControlId = table.Column<string>(type: "TEXT", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    ChangeKind = table.Column<string>(type: "TEXT", nullable: false),
                    BasedOnNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    AuthoredBy = table.Column<string>(type: "TEXT", nullable: false),
                    AuthoredAt = table.Column<string>(type: "TEXT", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ApprovedAt = table.Column<string>(type: "TEXT", nullable: true),
                    RejectedBy = table.Column<string>(type: "TEXT", nullable: true),
                    RejectedAt = table.Column<string>(type: "TEXT", nullable: true),
                    ReviewComment = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ControlVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationInputs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Role = table.Column<string>(type: "TEXT", nullable: false),
                    IpeId = table.Column<string>(type: "TEXT", nullable: false),
                    IpeVersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    InputRunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ExtractSha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false),
                    RunBy = table.Column<string>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationInputs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationInputs_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationLines",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    GlAccount = table.Column<string>(type: "TEXT", nullable: false),
                    Company = table.Column<string>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", nullable: false),
                    Ipes = table.Column<string>(type: "TEXT", nullable: false),
                    Sign = table.Column<string>(type: "TEXT", nullable: false),
                    IpeRows = table.Column<long>(type: "INTEGER", nullable: false),
                    IpeTotal = table.Column<decimal>(type: "TEXT", nullable: false),
                    GlBalance = table.Column<decimal>(type: "TEXT", nullable: false),
                    Difference = table.Column<decimal>(type: "TEXT", nullable: false),
                    Threshold = table.Column<decimal>(type: "TEXT", nullable: false),
                    Outside = table.Column<bool>(type: "INTEGER", nullable: false),
                    UsdRate = table.Column<decimal>(type: "TEXT", nullable: false),
                    UsdRateDate = table.Column<string>(type: "TEXT", nullable: false),
                    DifferenceUsd = table.Column<decimal>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationLines_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ControlVersionId",
                table: "Runs",
                column: "ControlVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ControlVersions_ControlId_Number",
                table: "ControlVersions",
                columns: new[] { "ControlId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationInputs_RunId",
                table: "ReconciliationInputs",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationLines_RunId",
                table: "ReconciliationLines",
                column: "RunId");

            migrationBuilder.AddForeignKey(
                name: "FK_Runs_ControlVersions_ControlVersionId",
                table: "Runs",
                column: "ControlVersionId",
                principalTable: "ControlVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Runs_ControlVersions_ControlVersionId",
                table: "Runs");

            migrationBuilder.DropTable(
                name: "ControlVersions");

            migrationBuilder.DropTable(
                name: "ReconciliationInputs");

            migrationBuilder.DropTable(
                name: "ReconciliationLines");

            migrationBuilder.DropIndex(
                name: "IX_Runs_ControlVersionId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ControlVersionId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Runs");

            migrationBuilder.AlterColumn<int>(
                name: "IpeVersionId",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
