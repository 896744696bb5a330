using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SoxAuto.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PeopleBySubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BySubject",
                table: "SignOffs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChangedBySubject",
                table: "Schedules",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CreatedBySubject",
                table: "Schedules",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CancelledBySubject",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBySubject",
                table: "Runs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ApprovedBySubject",
                table: "IpeVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthoredBySubject",
                table: "IpeVersions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RejectedBySubject",
                table: "IpeVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApprovedBySubject",
                table: "ControlVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthoredBySubject",
                table: "ControlVersions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RejectedBySubject",
                table: "ControlVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBySubject",
                table: "Batches",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Format",
                table: "AuditTrail",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "WhoSubject",
                table: "AuditTrail",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IssuedBySubject",
                table: "AccessTokens",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RevokedBySubject",
                table: "AccessTokens",
                type: "TEXT",
                nullable: true);

            // What was recorded before subjects keeps its name and gets a legacy subject derived from it
            // (docs/operations/okta.md, "Who is who: subjects"): service identities stay as they are (they were never people's
            // names), anything else becomes legacy:<name>, which matches nobody who signs in. Audit entries are
            // not changed (the trail is append-only): they keep format 1, without a subject. Identifiers are
            // quoted so that the same SQL runs on PostgreSQL.
            // A sign-off is never changed (a trigger refuses it), except here, once, to add who it was.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS SignOffs_NoUpdate;");
            foreach (var (table, name, subject) in Recorded)
                migrationBuilder.Sql($"""
                    UPDATE "{table}" SET "{subject}" = CASE
                        WHEN "{name}" LIKE 'schedule:%' OR "{name}" LIKE 'token:%' OR "{name}" LIKE 'cli:%' OR "{name}" = 'system (seed catalog)' THEN "{name}"
                        ELSE 'legacy:' || "{name}" END
                    WHERE "{name}" IS NOT NULL;
                    """);
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("CREATE TRIGGER SignOffs_NoUpdate BEFORE UPDATE ON SignOffs BEGIN SELECT RAISE(ABORT, 'A sign-off is never changed.'); END;");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_RequestedBySubject",
                table: "Runs",
                column: "RequestedBySubject");
        }

        /// <summary>Each table's recorded names and the subject columns this migration adds beside them.</summary>
        private static readonly (string Table, string Name, string Subject)[] Recorded =
        [
            ("Runs", "RequestedBy", "RequestedBySubject"), ("Runs", "CancelledBy", "CancelledBySubject"),
            ("Batches", "RequestedBy", "RequestedBySubject"),
            ("IpeVersions", "AuthoredBy", "AuthoredBySubject"), ("IpeVersions", "ApprovedBy", "ApprovedBySubject"), ("IpeVersions", "RejectedBy", "RejectedBySubject"),
            ("ControlVersions", "AuthoredBy", "AuthoredBySubject"), ("ControlVersions", "ApprovedBy", "ApprovedBySubject"), ("ControlVersions", "RejectedBy", "RejectedBySubject"),
            ("SignOffs", "By", "BySubject"),
            ("AccessTokens", "IssuedBy", "IssuedBySubject"), ("AccessTokens", "RevokedBy", "RevokedBySubject"),
            ("Schedules", "CreatedBy", "CreatedBySubject"), ("Schedules", "ChangedBy", "ChangedBySubject"),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
