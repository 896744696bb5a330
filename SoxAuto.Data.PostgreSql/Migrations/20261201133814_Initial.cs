using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SoxAuto.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:CollationDefinition:NOCASE", "und-u-ks-level2,und-u-ks-level2,icu,False");

            migrationBuilder.CreateTable(
                name: "AccessTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "NOCASE"),
                    Scope = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    IssuedBy = table.Column<string>(type: "text", nullable: false),
                    IssuedAt = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<string>(type: "text", nullable: false),
                    RevokedBy = table.Column<string>(type: "text", nullable: true),
                    RevokedAt = table.Column<string>(type: "text", nullable: true),
                    LastUsedAt = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditTrail",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<string>(type: "text", nullable: false),
                    Who = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    Origin = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<string>(type: "text", nullable: false),
                    PreviousId = table.Column<long>(type: "bigint", nullable: true),
                    Hash = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditTrail", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Batches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ControlId = table.Column<string>(type: "text", nullable: false),
                    PeriodText = table.Column<string>(type: "text", nullable: false),
                    RequestedBy = table.Column<string>(type: "text", nullable: false),
                    RequestedAt = table.Column<string>(type: "text", nullable: false),
                    EndedAt = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true),
                    Message = table.Column<string>(type: "text", nullable: true),
                    PeriodEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodKind = table.Column<string>(type: "text", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Certificates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    SignOffId = table.Column<int>(type: "integer", nullable: true),
                    FirstIssuedAt = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Certificates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ControlVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ControlId = table.Column<string>(type: "text", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    ChangeKind = table.Column<string>(type: "text", nullable: false),
                    BasedOnNumber = table.Column<int>(type: "integer", nullable: true),
                    AuthoredBy = table.Column<string>(type: "text", nullable: false),
                    AuthoredAt = table.Column<string>(type: "text", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: true),
                    ApprovedBy = table.Column<string>(type: "text", nullable: true),
                    ApprovedAt = table.Column<string>(type: "text", nullable: true),
                    RejectedBy = table.Column<string>(type: "text", nullable: true),
                    RejectedAt = table.Column<string>(type: "text", nullable: true),
                    ReviewComment = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ControlVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IpeVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IpeId = table.Column<string>(type: "text", nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    ChangeKind = table.Column<string>(type: "text", nullable: false),
                    BasedOnNumber = table.Column<int>(type: "integer", nullable: true),
                    AuthoredBy = table.Column<string>(type: "text", nullable: false),
                    AuthoredAt = table.Column<string>(type: "text", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: true),
                    ApprovedBy = table.Column<string>(type: "text", nullable: true),
                    ApprovedAt = table.Column<string>(type: "text", nullable: true),
                    RejectedBy = table.Column<string>(type: "text", nullable: true),
                    RejectedAt = table.Column<string>(type: "text", nullable: true),
                    ReviewComment = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpeVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventId = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Link = table.Column<string>(type: "text", nullable: true),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Destination = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<string>(type: "text", nullable: false),
                    LastAttemptAt = table.Column<string>(type: "text", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    SentAt = table.Column<string>(type: "text", nullable: true),
                    ClaimedBy = table.Column<string>(type: "text", nullable: true),
                    ClaimExpiresAt = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Email = table.Column<string>(type: "text", nullable: true),
                    SignIn = table.Column<string>(type: "text", nullable: false),
                    Roles = table.Column<string>(type: "text", nullable: false),
                    Groups = table.Column<string>(type: "text", nullable: false),
                    LastSignInAt = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Subject);
                });

            migrationBuilder.CreateTable(
                name: "Schedules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Target = table.Column<string>(type: "text", nullable: false),
                    TargetId = table.Column<string>(type: "text", nullable: false),
                    Cron = table.Column<string>(type: "text", nullable: false),
                    BusinessDay = table.Column<int>(type: "integer", nullable: true),
                    TimeZone = table.Column<string>(type: "text", nullable: false),
                    Period = table.Column<string>(type: "text", nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    ActiveSince = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<string>(type: "text", nullable: false),
                    ChangedBy = table.Column<string>(type: "text", nullable: true),
                    ChangedAt = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Schedules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SessionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Xml = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignInSessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Who = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<string>(type: "text", nullable: false),
                    EndedAt = table.Column<string>(type: "text", nullable: true),
                    EndReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInSessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    IpeId = table.Column<string>(type: "text", nullable: false),
                    IpeVersionId = table.Column<int>(type: "integer", nullable: true),
                    IpeVersionNumber = table.Column<int>(type: "integer", nullable: false),
                    ControlVersionId = table.Column<int>(type: "integer", nullable: true),
                    PeriodText = table.Column<string>(type: "text", nullable: false),
                    Parameters = table.Column<string>(type: "text", nullable: false),
                    RequestedBy = table.Column<string>(type: "text", nullable: false),
                    RequestedAt = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<string>(type: "text", nullable: true),
                    FinishedAt = table.Column<string>(type: "text", nullable: true),
                    State = table.Column<string>(type: "text", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: true),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    CancelledBy = table.Column<string>(type: "text", nullable: true),
                    Owner = table.Column<string>(type: "text", nullable: true),
                    LeaseExpiresAt = table.Column<string>(type: "text", nullable: true),
                    Engine = table.Column<string>(type: "text", nullable: true),
                    Database = table.Column<string>(type: "text", nullable: true),
                    ExecutionId = table.Column<string>(type: "text", nullable: true),
                    ExecutedSql = table.Column<string>(type: "text", nullable: true),
                    ResultSource = table.Column<string>(type: "text", nullable: true),
                    DataScannedBytes = table.Column<long>(type: "bigint", nullable: true),
                    EngineMillis = table.Column<long>(type: "bigint", nullable: true),
                    QueueMillis = table.Column<long>(type: "bigint", nullable: true),
                    TotalMillis = table.Column<long>(type: "bigint", nullable: true),
                    EngineVersion = table.Column<string>(type: "text", nullable: true),
                    ReusedPreviousResult = table.Column<bool>(type: "boolean", nullable: true),
                    RowCount = table.Column<long>(type: "bigint", nullable: true),
                    ExtractSha256 = table.Column<string>(type: "text", nullable: true),
                    ExtractBytes = table.Column<long>(type: "bigint", nullable: true),
                    ExtractPath = table.Column<string>(type: "text", nullable: true),
                    WorkbookSha256 = table.Column<string>(type: "text", nullable: true),
                    WorkbookBytes = table.Column<long>(type: "bigint", nullable: true),
                    WorkbookPath = table.Column<string>(type: "text", nullable: true),
                    ColumnsJson = table.Column<string>(type: "text", nullable: true),
                    SupersedesRunId = table.Column<int>(type: "integer", nullable: true),
                    BatchId = table.Column<int>(type: "integer", nullable: true),
                    PeriodEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodKind = table.Column<string>(type: "text", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_Batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "Batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Runs_ControlVersions_ControlVersionId",
                        column: x => x.ControlVersionId,
                        principalTable: "ControlVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Runs_IpeVersions_IpeVersionId",
                        column: x => x.IpeVersionId,
                        principalTable: "IpeVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationInputs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    Role = table.Column<string>(type: "text", nullable: false),
                    IpeId = table.Column<string>(type: "text", nullable: false),
                    IpeVersionNumber = table.Column<int>(type: "integer", nullable: false),
                    InputRunId = table.Column<int>(type: "integer", nullable: false),
                    ExtractSha256 = table.Column<string>(type: "text", nullable: false),
                    Rows = table.Column<long>(type: "bigint", nullable: false),
                    RunBy = table.Column<string>(type: "text", nullable: false),
                    FinishedAt = table.Column<string>(type: "text", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    GlAccount = table.Column<string>(type: "text", nullable: false),
                    Company = table.Column<string>(type: "text", nullable: false),
                    Currency = table.Column<string>(type: "text", nullable: false),
                    Ipes = table.Column<string>(type: "text", nullable: false),
                    Sign = table.Column<string>(type: "text", nullable: false),
                    IpeRows = table.Column<long>(type: "bigint", nullable: false),
                    IpeTotal = table.Column<decimal>(type: "numeric", nullable: false),
                    GlBalance = table.Column<decimal>(type: "numeric", nullable: false),
                    Difference = table.Column<decimal>(type: "numeric", nullable: false),
                    Threshold = table.Column<decimal>(type: "numeric", nullable: false),
                    Outside = table.Column<bool>(type: "boolean", nullable: false),
                    UsdRate = table.Column<decimal>(type: "numeric", nullable: false),
                    UsdRateDate = table.Column<string>(type: "text", nullable: false),
                    DifferenceUsd = table.Column<decimal>(type: "numeric", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "RunChecks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    Expected = table.Column<string>(type: "text", nullable: false),
                    Actual = table.Column<string>(type: "text", nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    Rule = table.Column<string>(type: "text", nullable: false),
                    ExecutionId = table.Column<string>(type: "text", nullable: true),
                    DurationMs = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "ScheduleFirings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ScheduleId = table.Column<int>(type: "integer", nullable: true),
                    ScheduleName = table.Column<string>(type: "text", nullable: false),
                    DueAt = table.Column<string>(type: "text", nullable: false),
                    FiredAt = table.Column<string>(type: "text", nullable: false),
                    CaughtUp = table.Column<bool>(type: "boolean", nullable: false),
                    PeriodText = table.Column<string>(type: "text", nullable: false),
                    BatchId = table.Column<int>(type: "integer", nullable: true),
                    RunId = table.Column<int>(type: "integer", nullable: true),
                    Problem = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduleFirings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduleFirings_Batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "Batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ScheduleFirings_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ScheduleFirings_Schedules_ScheduleId",
                        column: x => x.ScheduleId,
                        principalTable: "Schedules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "SignOffs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Decision = table.Column<string>(type: "text", nullable: false),
                    By = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<string>(type: "text", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: false),
                    Justification = table.Column<string>(type: "text", nullable: true),
                    Files = table.Column<string>(type: "text", nullable: false)
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
                name: "IX_AccessTokens_Name",
                table: "AccessTokens",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessTokens_Sha256",
                table: "AccessTokens",
                column: "Sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Action_Subject_At",
                table: "AuditTrail",
                columns: new[] { "Action", "Subject", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_At",
                table: "AuditTrail",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_PreviousId",
                table: "AuditTrail",
                column: "PreviousId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Subject",
                table: "AuditTrail",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_Who",
                table: "AuditTrail",
                column: "Who");

            migrationBuilder.CreateIndex(
                name: "IX_Batches_ControlId_PeriodText",
                table: "Batches",
                columns: new[] { "ControlId", "PeriodText" });

            migrationBuilder.CreateIndex(
                name: "IX_Batches_EndedAt",
                table: "Batches",
                column: "EndedAt");

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
                name: "IX_ControlVersions_ControlId_Number",
                table: "ControlVersions",
                columns: new[] { "ControlId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IpeVersions_IpeId_Number",
                table: "IpeVersions",
                columns: new[] { "IpeId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_State_NextAttemptAt",
                table: "Notifications",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationInputs_RunId",
                table: "ReconciliationInputs",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationLines_RunId",
                table: "ReconciliationLines",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_RunChecks_RunId",
                table: "RunChecks",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_BatchId",
                table: "Runs",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ControlVersionId",
                table: "Runs",
                column: "ControlVersionId");

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

            migrationBuilder.CreateIndex(
                name: "IX_Runs_SupersedesRunId",
                table: "Runs",
                column: "SupersedesRunId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleFirings_BatchId",
                table: "ScheduleFirings",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleFirings_RunId",
                table: "ScheduleFirings",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleFirings_ScheduleId_DueAt",
                table: "ScheduleFirings",
                columns: new[] { "ScheduleId", "DueAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Schedules_Name",
                table: "Schedules",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SessionKeys_Name",
                table: "SessionKeys",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_SignInSessions_ExpiresAt",
                table: "SignInSessions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_SignOffs_RunId",
                table: "SignOffs",
                column: "RunId",
                unique: true);

            // What SQLite's triggers refuse (migrations Initial and ReviewSignOffsAndCertificates), refused here too:
            // the audit trail is append-only and a sign-off is never changed or removed, whoever connects.
            migrationBuilder.Sql("""
                CREATE FUNCTION soxauto_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$;
                """);
            foreach (var (table, update, remove) in new[]
            {
                ("AuditTrail", "The audit trail is append-only.", "The audit trail is append-only."),
                ("SignOffs", "A sign-off is never changed.", "A sign-off is never removed."),
            })
            {
                migrationBuilder.Sql($"""CREATE TRIGGER "{table}_NoUpdate" BEFORE UPDATE ON "{table}" FOR EACH ROW EXECUTE FUNCTION soxauto_refuse_change('{update}');""");
                migrationBuilder.Sql($"""CREATE TRIGGER "{table}_NoDelete" BEFORE DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION soxauto_refuse_change('{remove}');""");
                migrationBuilder.Sql($"""CREATE TRIGGER "{table}_NoTruncate" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION soxauto_refuse_change('{remove}');""");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "AuditTrail", "SignOffs" })
                foreach (var kind in new[] { "NoUpdate", "NoDelete", "NoTruncate" })
                    migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{table}_{kind}" ON "{table}";""");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS soxauto_refuse_change();");
            migrationBuilder.DropTable(
                name: "AccessTokens");

            migrationBuilder.DropTable(
                name: "AuditTrail");

            migrationBuilder.DropTable(
                name: "Certificates");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "People");

            migrationBuilder.DropTable(
                name: "ReconciliationInputs");

            migrationBuilder.DropTable(
                name: "ReconciliationLines");

            migrationBuilder.DropTable(
                name: "RunChecks");

            migrationBuilder.DropTable(
                name: "ScheduleFirings");

            migrationBuilder.DropTable(
                name: "SessionKeys");

            migrationBuilder.DropTable(
                name: "SignInSessions");

            migrationBuilder.DropTable(
                name: "SignOffs");

            migrationBuilder.DropTable(
                name: "Schedules");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "Batches");

            migrationBuilder.DropTable(
                name: "ControlVersions");

            migrationBuilder.DropTable(
                name: "IpeVersions");
        }
    }
}
