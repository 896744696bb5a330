using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Evidence.Store;

namespace SoxAuto.Core.Runs;

/// <summary>One evidence file of a run: its name as delivered, what it is, and the SHA-256 and size
/// SoxAuto recorded. Stored files are read from the evidence store under <see cref="StoredKey"/>; the SQL as
/// executed is the run's record, as UTF-8 without a byte-order mark.</summary>
public sealed record RunFile(string Name, string Kind, string Sha256, long Bytes, string? StoredKey, byte[]? Content)
{
    /// <summary>The file's bytes, streamed from the store; a stored file that is gone is an <see cref="EvidenceStoreException"/>.</summary>
    public async Task<Stream> OpenAsync(IEvidenceStore store, CancellationToken ct) => Content is not null
        ? new MemoryStream(Content, writable: false)
        : await store.OpenAsync(StoredKey!, ct) ?? throw new EvidenceStoreException($"The stored {Kind} {Name} is missing from the evidence store.");
}

/// <summary>The evidence files of a succeeded run, as a sign-off and a package name them.</summary>
public static class RunFiles
{
    public const string Workbook = "workbook", Extract = "extract", Sql = "sql";

    /// <summary>The workbook, the extract and the SQL as executed, in that order; empty unless the run
    /// succeeded (only a succeeded run has evidence).</summary>
    public static IReadOnlyList<RunFile> Of(Run run)
    {
        if (run.State != RunState.Succeeded || run.WorkbookPath is null || run.ExtractPath is null) return [];
        var sql = Encoding.UTF8.GetBytes(run.ExecutedSql ?? "");
        return
        [
            new(run.FileStem + ".xlsx", Workbook, run.WorkbookSha256!, run.WorkbookBytes ?? 0, run.WorkbookPath, null),
            new(run.FileStem + ".csv", Extract, run.ExtractSha256!, run.ExtractBytes ?? 0, run.ExtractPath, null),
            new(run.FileStem + ".sql", Sql, Convert.ToHexStringLower(SHA256.HashData(sql)), sql.Length, null, sql),
        ];
    }

    /// <summary>Reads every stored file again and says, in words, which one no longer has the SHA-256
    /// and size recorded for it (or is missing); null when all match.</summary>
    public static async Task<string?> FirstAlteredAsync(IEnumerable<RunFile> files, IEvidenceStore store, CancellationToken ct)
    {
        foreach (var file in files.Where(f => f.StoredKey is not null))
        {
            await using var stream = await store.OpenAsync(file.StoredKey!, ct);
            if (stream is null)
                return $"The stored {file.Kind} {file.Name} is missing from the evidence store.";
            var (sha, bytes) = await HashAsync(stream, ct);
            if (sha != file.Sha256 || bytes != file.Bytes)
                return FormattableString.Invariant(
                    $"The stored {file.Kind} {file.Name} no longer matches its record: SHA-256 {sha} ({bytes:N0} bytes), recorded {file.Sha256} ({file.Bytes:N0} bytes).");
        }
        return null;
    }

    /// <summary>The SHA-256 (hex) and length of a stream read to its end (a stored object need not know its length).</summary>
    public static async Task<(string Sha256, long Bytes)> HashAsync(Stream stream, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long bytes = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            bytes += read;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), bytes);
    }

    /// <summary>The SHA-256 (hex) and length of a file on disk.</summary>
    public static async Task<(string Sha256, long Bytes)> HashFileAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await HashAsync(file, ct);
    }
}
