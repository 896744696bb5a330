namespace SoxAuto.Core.Evidence.Store;

/// <summary>One complete evidence file, written and hashed in a run's work folder, to be published under
/// <paramref name="Key"/> (e.g. evidence/run-7/IPE_01_2025-09_run-7.csv, as the run records it).</summary>
/// <param name="Sha256">Lowercase hex, as the evidence pass computed it: the store has the bytes verified against it.</param>
public sealed record EvidenceObject(string Key, string LocalPath, string Sha256, long Bytes);

/// <summary>The evidence store could not publish or read a file; the message says why, in words.</summary>
public sealed class EvidenceStoreException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Where evidence lives once a run has written it (SoxAuto:Evidence:Store): the data folder
/// (<see cref="FolderEvidenceStore"/>) or an S3 bucket (<see cref="S3EvidenceStore"/>). A run writes its files
/// complete in its work folder, then publishes them; only then does the run say Succeeded. Every reader
/// (downloads, packages, preview, verify, reconciliations, sign-off) opens them through the store. No store
/// deletes or replaces a published file.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Where a run's files are written before they are published.</summary>
    string WorkFolder(int runId);

    /// <summary>Publishes complete files; each is evidence once this returns. A file whose key already holds
    /// other bytes fails it (<see cref="EvidenceStoreException"/>): nothing is ever overwritten.</summary>
    Task PublishAsync(int runId, IReadOnlyList<EvidenceObject> files, CancellationToken ct);

    /// <summary>The stored bytes of <paramref name="key"/>, streamed; null when there is no such file.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken ct);

    /// <summary>Where <paramref name="key"/> lives, for people: a path or an s3:// address.</summary>
    string Where(string key);

    /// <summary>The key a run's file is published under.</summary>
    static string KeyOf(int runId, string fileName) => $"evidence/run-{runId}/{fileName}";
}
