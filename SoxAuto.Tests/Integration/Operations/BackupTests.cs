using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>The operator's backup and restore (docs/operations/deployment.md): `backup --out FILE` copies the
/// database with SQLite's online backup while the app may run; the evidence folder is copied after it; `verify-data-folder`
/// on the restored folder checks the audit chain and every evidence file's SHA-256.</summary>
[Collection(nameof(SeveralProcesses))]
public class BackupTests
{
    private const string QuickSql = "SELECT range AS n FROM range(1000) WHERE {{period_end}} IS NOT NULL";

    [Fact]
    public async Task A_backup_restored_into_an_empty_folder_verifies_and_a_changed_evidence_file_or_audit_entry_is_found()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        int runId;
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            await TestIpes.AddAsync(app.Services, "IPE_QUICK", QuickSql);
            runId = (await app.Get<RunService>().RequestAsync("IPE_QUICK", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") })).Id;
            Assert.Equal(RunState.Succeeded, (await app.WaitForFinalAsync(runId)).State);

            // Taken while the app runs.
            var backup = Path.Combine(data.Folder.Root, "..", $"soxauto-backup-{Guid.NewGuid():N}.db");
            try
            {
                var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "backup", "--out", backup);
                Assert.True(exit == 0, stderr);
                Assert.Equal(Path.GetFullPath(backup), JsonDocument.Parse(stdout).RootElement.GetProperty("backup").GetString());

                var (again, _, refused) = await ChildProcess.HeadlessAsync(data.Folder.Root, "backup", "--out", backup);
                Assert.Equal(1, again);
                Assert.Contains("exists already", refused);

                // The restore: the database file and the evidence folder, into an empty folder.
                using var restored = new TempDataFolder(DemoLakeFixture.SharedLakePath);
                File.Copy(backup, restored.Folder.DatabaseFile);
                CopyFolder(data.Folder.Evidence, restored.Folder.Evidence);

                var (ok, report, problems) = await ChildProcess.HeadlessAsync(restored.Folder.Root, "verify-data-folder");
                Assert.True(ok == 0, problems + report);
                var outcome = JsonDocument.Parse(report).RootElement;
                Assert.True(outcome.GetProperty("passed").GetBoolean());
                Assert.Equal(2, outcome.GetProperty("evidenceFiles").GetInt32());
                Assert.True(outcome.GetProperty("auditEntries").GetInt32() >= 2);

                // One byte of the stored extract changed, and an audit entry edited outside SoxAuto.
                var run = await RunWaits.LoadAsync(app.Services, runId);
                var extract = restored.Folder.Absolute(run.ExtractPath!);
                File.SetAttributes(extract, FileAttributes.Normal); // published files are read-only: a tamperer clears that first
                await File.AppendAllTextAsync(extract, "\n");
                await using (var db = new SoxAutoDb(new DbContextOptionsBuilder<SoxAutoDb>()
                    .UseSqlite($"Data Source={restored.Folder.DatabaseFile};Pooling=False").Options))
                {
                    // Its append-only trigger dropped first, as someone with the file in hand could.
                    await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditTrail_NoUpdate");
                    await db.AuditTrail.Where(a => a.Action == "run.succeeded").ExecuteUpdateAsync(u => u.SetProperty(a => a.Who, "someone else"));
                }

                var (bad, badReport, badProblems) = await ChildProcess.HeadlessAsync(restored.Folder.Root, "verify-data-folder");
                Assert.Equal(1, bad);
                var found = JsonDocument.Parse(badReport).RootElement;
                Assert.False(found.GetProperty("passed").GetBoolean());
                Assert.NotEqual(JsonValueKind.Null, found.GetProperty("firstBrokenAuditEntry").ValueKind);
                Assert.Contains($"Run {runId}: its extract {run.ExtractPath} has SHA-256", badProblems);
                Assert.Contains("The audit trail's hash chain breaks at entry", badProblems);
            }
            finally
            {
                File.Delete(backup);
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
