using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The <c>token</c> verb as an operator runs it: processes on one data folder, one JSON object on
/// standard output, refusals in words on standard error with their exit codes.</summary>
public sealed class TokenVerbTests
{
    [Fact]
    public async Task Issue_prints_the_token_once_and_the_data_folder_keeps_only_its_SHA_256_then_revoke_revokes_it_once()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await HeadlessAsync(data, "token", "issue", "--name", "month-end", "--role", "reviewer", "--expires", "30d");

        Assert.True(exit == 0, stderr);
        using var issued = JsonDocument.Parse(stdout);
        var secret = issued.RootElement.GetProperty("token").GetString()!;
        Assert.Matches("^soxauto_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal("Reviewer", issued.RootElement.GetProperty("role").GetString());
        Assert.Equal("token:month-end", issued.RootElement.GetProperty("runsRecordedAs").GetString());
        Assert.InRange(issued.RootElement.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        await using (var db = Db(data))
        {
            var row = await db.AccessTokens.SingleAsync();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), row.Sha256);
            Assert.StartsWith("cli:", row.IssuedBy);
        }
        foreach (var file in Directory.GetFiles(data.Folder.Root, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(secret, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));

        var (revoked, revokeOut, revokeErr) = await HeadlessAsync(data, "token", "revoke", "--name", "month-end");
        Assert.True(revoked == 0, revokeErr);
        Assert.Equal("month-end", JsonDocument.Parse(revokeOut).RootElement.GetProperty("name").GetString());
        var (again, _, againErr) = await HeadlessAsync(data, "token", "revoke", "--name", "month-end");
        Assert.Equal(1, again);
        Assert.Contains("already revoked", againErr);
        await using (var db = Db(data))
            Assert.Equal(["token.issued", "token.revoked"], await db.AuditTrail.Where(a => a.Subject == "token/month-end").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task The_verb_refuses_a_bad_role_or_duration_with_exit_2_and_a_name_taken_or_unknown_with_exit_1()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (badRole, _, roleErr) = await HeadlessAsync(data, "token", "issue", "--name", "x", "--role", "Superuser", "--expires", "30d");
        Assert.Equal(2, badRole);
        Assert.Contains("'Superuser' is not one a token can have: Auditor, Reviewer, Admin", roleErr);
        var (badDuration, _, durationErr) = await HeadlessAsync(data, "token", "issue", "--name", "x", "--role", "Auditor", "--expires", "forever");
        Assert.Equal(2, badDuration);
        Assert.Contains("'forever' is not a duration such as 12h, 30d or 8w", durationErr);
        Assert.Equal(2, (await HeadlessAsync(data, "token", "issue", "--name", "x", "--role", "Auditor", "--expires", "400d")).Exit);
        Assert.Equal(2, (await HeadlessAsync(data, "token", "issue", "--name", "x")).Exit);
        var (unknown, _, unknownErr) = await HeadlessAsync(data, "token", "revoke", "--name", "never-issued");
        Assert.Equal(1, unknown);
        Assert.Contains("There is no token called 'never-issued'", unknownErr);

        // The same name from two processes at once: the database lets one through.
        using var first = ChildProcess.StartHeadless(data.Folder.Root, "token", "issue", "--name", "Twice", "--role", "Auditor", "--expires", "1d");
        using var second = ChildProcess.StartHeadless(data.Folder.Root, "token", "issue", "--name", "twice", "--role", "Auditor", "--expires", "1d");
        var outcomes = await Task.WhenAll(first.WaitAsync(), second.WaitAsync());
        Assert.Equal([0, 1], outcomes.Select(o => o.Exit).Order());
        Assert.Contains("There is already a token called", outcomes.Single(o => o.Exit == 1).Stderr);
        await using var db = Db(data);
        Assert.Equal(1, await db.AccessTokens.CountAsync());
        Assert.Single(await db.AuditTrail.Where(a => a.Action == "token.issued").ToListAsync());
    }

    private static SoxAutoDb Db(TempDataFolder data) =>
        new(new DbContextOptionsBuilder<SoxAutoDb>().UseSqlite($"Data Source={data.Folder.DatabaseFile};Pooling=False").Options);

    private static Task<(int Exit, string Stdout, string Stderr)> HeadlessAsync(TempDataFolder data, params string[] args) =>
        ChildProcess.HeadlessAsync(data.Folder.Root, args);
}
