using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Backup;

/// <summary>
/// Whether a data folder (typically one just restored from a backup) holds what its database says: the
/// audit trail's hash chain is unbroken, and every stored extract and workbook is there with the SHA-256
/// its run recorded. The <c>verify</c> verb prints the outcome.
/// </summary>
public sealed class RestoreCheck(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, DataFolder folder, IEvidenceStore store, IOptions<DatabaseOptions> database)
{
    public sealed record Outcome(int AuditEntries, long? FirstBrokenAuditEntry, int EvidenceFiles, IReadOnlyList<string> Problems)
    {
        public bool Passed => FirstBrokenAuditEntry is null && Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(CancellationToken ct = default)
    {
        if (database.Value.Kind == DatabaseProvider.Sqlite && !File.Exists(folder.DatabaseFile))
            throw new BackupException($"There is no database at {folder.DatabaseFile} (SoxAuto:DataPath) to check.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var entries = await db.AuditTrail.CountAsync(ct);
        var broken = await audit.FirstBrokenEntryAsync(ct);
        var problems = new List<string>();
        if (broken is { } id)
            problems.Add($"The audit trail's hash chain breaks at entry {id}: an entry was changed, removed or added outside SoxAuto.");

        var files = 0;
        var runs = await db.Runs.AsNoTracking().Where(r => r.State == RunState.Succeeded)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.ExtractPath, r.ExtractSha256, r.WorkbookPath, r.WorkbookSha256 })
            .ToListAsync(ct);
        foreach (var run in runs)
        {
            foreach (var (what, path, sha) in new[] { ("extract", run.ExtractPath, run.ExtractSha256), ("workbook", run.WorkbookPath, run.WorkbookSha256) })
            {
                if (path is null || sha is null) continue;
                files++;
                await using var stream = await store.OpenAsync(path, ct);
                if (stream is null)
                {
                    problems.Add($"Run {run.Id}: its {what} {path} is missing.");
                    continue;
                }
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                if (actual != sha)
                    problems.Add($"Run {run.Id}: its {what} {path} has SHA-256 {actual}, not the {sha} recorded when it was written.");
            }
        }
        return new Outcome(entries, broken, files, problems);
    }
}
