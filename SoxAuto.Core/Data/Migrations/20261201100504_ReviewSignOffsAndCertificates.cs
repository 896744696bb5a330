using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewSignOffsAndCertificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SupersedesRunId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Certificates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    SignOffId = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstIssuedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Certificates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignOffs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<string>(type: "TEXT", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: false),
                    Justification = table.Column<string>(type: "TEXT", nullable: true),
                    Files = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignOffs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SignOffs_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_SupersedesRunId",
                table: "Runs",
                column: "SupersedesRunId");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_RunId",
                table: "Certificates",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_Sha256",
                table: "Certificates",
                column: "Sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SignOffs_RunId",
                table: "SignOffs",
                column: "RunId",
                unique: true);

            // A sign-off is a record of what a reviewer decided: written once, never changed or removed.
            migrationBuilder.Sql("CREATE TRIGGER SignOffs_NoUpdate BEFORE UPDATE ON SignOffs BEGIN SELECT RAISE(ABORT, 'A sign-off is never changed.'); END;");
            migrationBuilder.Sql("CREATE TRIGGER SignOffs_NoDelete BEFORE DELETE ON SignOffs BEGIN SELECT RAISE(ABORT, 'A sign-off is never removed.'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS SignOffs_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS SignOffs_NoDelete;");
            migrationBuilder.DropTable(
                name: "Certificates");

            migrationBuilder.DropTable(
                name: "SignOffs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_SupersedesRunId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "SupersedesRunId",
                table: "Runs");
        }
    }
}
