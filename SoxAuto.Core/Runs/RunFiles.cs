using System.Security.Cryptography;
using System.Text;

namespace SoxAuto.Core.Runs;

/// <summary>One evidence file of a run: its name as delivered, what it is, and the SHA-256 and size
/// SoxAuto recorded. Stored files are read from the evidence store; the SQL as executed is the run's
/// record, as UTF-8 without a byte-order mark.</summary>
public sealed record RunFile(string Name, string Kind, string Sha256, long Bytes, string? StoredPath, byte[]? Content)
{
    public Stream Open() => Content is not null ? new MemoryStream(Content, writable: false)
        : new FileStream(StoredPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
}

/// <summary>The evidence files of a succeeded run, as a sign-off and a package name them.</summary>
public static class RunFiles
{
    public const string Workbook = "workbook", Extract = "extract", Sql = "sql";

    /// <summary>The workbook, the extract and the SQL as executed, in that order; empty unless the run
    /// succeeded (only a succeeded run has evidence).</summary>
    public static IReadOnlyList<RunFile> Of(Run run, DataFolder folder)
    {
        if (run.State != RunState.Succeeded || run.WorkbookPath is null || run.ExtractPath is null) return [];
        var sql = Encoding.UTF8.GetBytes(run.ExecutedSql ?? "");
        return
        [
            new(run.FileStem + ".xlsx", Workbook, run.WorkbookSha256!, run.WorkbookBytes ?? 0, folder.Absolute(run.WorkbookPath), null),
            new(run.FileStem + ".csv", Extract, run.ExtractSha256!, run.ExtractBytes ?? 0, folder.Absolute(run.ExtractPath), null),
            new(run.FileStem + ".sql", Sql, Convert.ToHexStringLower(SHA256.HashData(sql)), sql.Length, null, sql),
        ];
    }

    /// <summary>Reads every stored file again and says, in words, which one no longer has the SHA-256
    /// and size recorded for it (or is missing); null when all match.</summary>
    public static async Task<string?> FirstAlteredAsync(IEnumerable<RunFile> files, CancellationToken ct)
    {
        foreach (var file in files.Where(f => f.StoredPath is not null))
        {
            if (!File.Exists(file.StoredPath))
                return $"The stored {file.Kind} {file.Name} is missing from the evidence store.";
            await using var stream = file.Open();
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            if (sha != file.Sha256 || stream.Length != file.Bytes)
                return FormattableString.Invariant(
                    $"The stored {file.Kind} {file.Name} no longer matches its record: SHA-256 {sha} ({stream.Length:N0} bytes), recorded {file.Sha256} ({file.Bytes:N0} bytes).");
        }
        return null;
    }
}
