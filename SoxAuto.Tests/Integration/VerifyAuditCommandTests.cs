using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Audit;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary><c>verify-audit</c>, run as an operator would on the data folder the web app uses.</summary>
public sealed class VerifyAuditCommandTests
{
    [Fact]
    public async Task Verify_audit_exits_0_on_an_intact_trail_and_1_naming_the_entry_edited_in_SQLite()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada", "Local demo sign-in; roles: Auditor", "127.0.0.1");
        await trail.RecordAsync("Ada Auditor", "run.requested", "run/1", "IPE_09 v1 for 2025-09", "127.0.0.1");
        await trail.RecordAsync("system", "run.succeeded", "run/1", "1,204 rows", "system");

        var (exit, stdout, stderr) = await VerifyAsync(database);

        Assert.True(exit == 0, stderr);
        using (var intact = JsonDocument.Parse(stdout))
        {
            Assert.True(intact.RootElement.GetProperty("intact").GetBoolean());
            Assert.Equal(3, intact.RootElement.GetProperty("entries").GetInt64());
            Assert.Equal(JsonValueKind.Null, intact.RootElement.GetProperty("firstBreak").ValueKind);
        }
        // The check itself is on the record, so a scheduled verification leaves evidence that it ran.
        await using (var db = await database.Dbs.CreateDbContextAsync())
            Assert.StartsWith("Intact, verified up to entry 3:", (await db.AuditTrail.SingleAsync(a => a.Action == "audit.verified")).Detail);

        await using (var db = await database.Dbs.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("""
                DROP TRIGGER AuditTrail_NoUpdate;
                UPDATE AuditTrail SET Detail = 'IPE_09 v1 for 2025-08' WHERE Id = 2;
                """);
        (exit, stdout, stderr) = await VerifyAsync(database);

        Assert.Equal(1, exit);
        using var broken = JsonDocument.Parse(stdout);
        Assert.False(broken.RootElement.GetProperty("intact").GetBoolean());
        var at = broken.RootElement.GetProperty("firstBreak");
        Assert.Equal((2, "altered"), (at.GetProperty("entry").GetInt64(), at.GetProperty("kind").GetString()));
        Assert.Contains("The audit trail's chain is broken at entry 2: altered.", stderr);
    }

    [Fact]
    public async Task Verify_audit_with_an_anchor_exits_1_when_entries_were_cut_from_the_end()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);
        await trail.RecordAsync("Ada Auditor", "signin", "person/ada");
        var kept = await trail.RecordAsync("Ada Auditor", "run.requested", "run/1");
        await using (var db = await database.Dbs.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditTrail_NoDelete; DELETE FROM AuditTrail WHERE Id = 2;");

        var (exit, stdout, _) = await VerifyAsync(database, "--anchor", $"{kept.Id}:{kept.Hash}");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("anchor").GetProperty("holds").GetBoolean());
    }

    [Fact]
    public async Task Verify_audit_without_a_database_says_so_and_exits_2()
    {
        using var empty = new TempDataFolder();

        var (exit, _, stderr) = await ChildProcess.RunAsync("dotnet", [ChildProcess.WebDll, "verify-audit", $"--SoxAuto:DataPath={empty.Folder.Root}"]);

        Assert.Equal(2, exit);
        Assert.Contains("There is no SoxAuto database at", stderr);
        Assert.False(File.Exists(empty.Folder.DatabaseFile), "Verifying created a database.");
    }

    private static Task<(int Exit, string Stdout, string Stderr)> VerifyAsync(TestDatabase database, params string[] args) =>
        ChildProcess.RunAsync("dotnet", [ChildProcess.WebDll, "verify-audit", .. args, $"--SoxAuto:DataPath={database.DataPath}"],
            timeout: TimeSpan.FromMinutes(2));
}
