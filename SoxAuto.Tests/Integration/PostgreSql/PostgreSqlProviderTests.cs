using Microsoft.EntityFrameworkCore;
using Npgsql;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.PostgreSql;

/// <summary>SoxAuto on a real PostgreSQL server (SoxAuto:Database:Provider = PostgreSql): its migrations build
/// an empty database, a run goes end to end, and what SQLite's triggers and collations guarantee holds there too.</summary>
public sealed class PostgreSqlProviderTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    private static readonly Actor Alex = new("Alex Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alex Admin") };

    [Fact]
    public async Task Migrations_build_an_empty_PostgreSQL_database_and_a_run_succeeds_end_to_end_with_its_audit_chain_intact()
    {
        await using var app = await CoreHost.StartAsync(settings: Settings(await server.NewDatabaseAsync()));

        var requested = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        var run = await app.WaitForFinalAsync(requested.Id);

        Assert.True(run.State == RunState.Succeeded, run.Message);
        Assert.True(run.RowCount > 0);
        Assert.Equal(64, run.ExtractSha256?.Length);
        Assert.True((await app.Get<AuditTrail>().VerifyAsync()).Intact);
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(["run.requested", "run.started", "run.succeeded"],
            await db.AuditTrail.Where(a => a.Subject == $"run/{run.Id}").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task The_audit_trail_refuses_an_UPDATE_a_DELETE_and_a_TRUNCATE_on_PostgreSQL()
    {
        await using var app = await CoreHost.StartAsync(settings: Settings(await server.NewDatabaseAsync()));
        var entry = await app.Get<AuditTrail>().RecordAsync("Ada Auditor", "test.recorded", "test/1");
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "AuditTrail" SET "Who" = 'Mallory' WHERE "Id" = {entry.Id}"""));
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlInterpolatedAsync($"""DELETE FROM "AuditTrail" WHERE "Id" = {entry.Id}"""));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("""TRUNCATE "AuditTrail" CASCADE"""));

        Assert.All([update, delete, truncate], e => Assert.Contains("The audit trail is append-only.", e.MessageText));
        Assert.Equal("Ada Auditor", (await db.AuditTrail.AsNoTracking().SingleAsync(a => a.Id == entry.Id)).Who);
        Assert.True((await app.Get<AuditTrail>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Audit_entries_appended_at_once_by_many_writers_form_one_chain_and_the_admin_filter_ignores_case()
    {
        await using var app = await CoreHost.StartAsync(settings: Settings(await server.NewDatabaseAsync()));
        var trail = app.Get<AuditTrail>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => trail.RecordAsync("Ada Auditor", "test.recorded", $"test/{i}"))));

        var verdict = await trail.VerifyAsync();
        Assert.True(verdict.Intact, verdict.Summary);
        var (found, total) = await app.Get<AuditSearch>().PageAsync(new AuditFilter(Who: "ada auditor", Action: "test"), 0, 100);
        Assert.Equal(40, total);
        Assert.Equal(40, found.Select(e => e.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Token_names_are_unique_whatever_their_case_and_a_sign_in_is_recorded_on_PostgreSQL_too()
    {
        await using var app = await CoreHost.StartAsync(settings: Settings(await server.NewDatabaseAsync()));
        var tokens = app.Get<AccessTokens>();
        await tokens.IssueAsync("Nightly", "Auditor", "30d", Alex);

        var again = await Assert.ThrowsAsync<TokenException>(() => tokens.IssueAsync("nightly", "Auditor", "30d", Alex));
        Assert.Contains("There is already a token called nightly", again.Message);

        var people = app.Get<People>();
        var ada = new Person { Subject = "ada", Name = "Ada Auditor", SignIn = "local", Roles = [], Groups = ["auditors"] };
        await people.SignedInAsync(ada);
        await people.SignedInAsync(new Person { Subject = "ada", Name = "Ada Lovelace", SignIn = "local", Roles = [], Groups = [] });
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        Assert.Equal("Ada Lovelace", (await db.People.SingleAsync(p => p.Subject == "ada")).Name);
    }

    private static Dictionary<string, string?> Settings(string connectionString) =>
        PostgresServer.Settings(connectionString).ToDictionary(s => s.Key, string? (s) => s.Value);
}
