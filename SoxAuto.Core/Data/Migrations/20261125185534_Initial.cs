using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditTrail",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<string>(type: "TEXT", nullable: false),
                    Who = table.Column<string>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditTrail", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IpeVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IpeId = table.Column<string>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    AuthoredBy = table.Column<string>(type: "TEXT", nullable: false),
                    AuthoredAt = table.Column<string>(type: "TEXT", nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ApprovedAt = table.Column<string>(type: "TEXT", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpeVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IpeId = table.Column<string>(type: "TEXT", nullable: false),
                    IpeVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    IpeVersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodText = table.Column<string>(type: "TEXT", nullable: false),
                    PeriodKind = table.Column<string>(type: "TEXT", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Parameters = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<string>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<string>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    CancelledBy = table.Column<string>(type: "TEXT", nullable: true),
                    Engine = table.Column<string>(type: "TEXT", nullable: true),
                    Database = table.Column<string>(type: "TEXT", nullable: true),
                    ExecutionId = table.Column<string>(type: "TEXT", nullable: true),
                    ExecutedSql = table.Column<string>(type: "TEXT", nullable: true),
                    ResultSource = table.Column<string>(type: "TEXT", nullable: true),
                    DataScannedBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    EngineMillis = table.Column<long>(type: "INTEGER", nullable: true),
                    RowCount = table.Column<long>(type: "INTEGER", nullable: true),
                    ExtractSha256 = table.Column<string>(type: "TEXT", nullable: true),
                    ExtractBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    ExtractPath = table.Column<string>(type: "TEXT", nullable: true),
                    WorkbookSha256 = table.Column<string>(type: "TEXT", nullable: true),
                    WorkbookBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    WorkbookPath = table.Column<string>(type: "TEXT", nullable: true),
                    ColumnsJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_IpeVersions_IpeVersionId",
                        column: x => x.IpeVersionId,
                        principalTable: "IpeVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RunChecks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    Expected = table.Column<string>(type: "TEXT", nullable: false),
                    Actual = table.Column<string>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RunChecks_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IpeVersions_IpeId_Number",
                table: "IpeVersions",
                columns: new[] { "IpeId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunChecks_RunId",
                table: "RunChecks",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_IpeId_PeriodText",
                table: "Runs",
                columns: new[] { "IpeId", "PeriodText" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_IpeVersionId",
                table: "Runs",
                column: "IpeVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_State",
                table: "Runs",
                column: "State");

            // The audit trail is append-only: the database itself refuses edits and deletions.
            migrationBuilder.Sql("CREATE TRIGGER AuditTrail_NoUpdate BEFORE UPDATE ON AuditTrail BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;");
            migrationBuilder.Sql("CREATE TRIGGER AuditTrail_NoDelete BEFORE DELETE ON AuditTrail BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditTrail");

            migrationBuilder.DropTable(
                name: "RunChecks");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "IpeVersions");
        }
    }
}
