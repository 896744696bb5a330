namespace SoxAuto.Core.Evidence.Store;

/// <summary>
/// The default store: the data folder's evidence/ folder, one folder per run. The evidence pass writes each
/// file under a temporary name, forces it to disk and renames it into place (<see cref="EvidenceWriter"/>), so
/// the work folder is the store itself; publishing makes the files read-only, a guard against accidents
/// (whoever may write the data folder can still change them: the recorded SHA-256 then finds it).
/// </summary>
public sealed class FolderEvidenceStore(DataFolder folder) : IEvidenceStore
{
    public string WorkFolder(int runId) => Path.Combine(folder.Evidence, $"run-{runId}");

    public Task PublishAsync(int runId, IReadOnlyList<EvidenceObject> files, CancellationToken ct)
    {
        foreach (var file in files)
        {
            var stored = folder.Absolute(file.Key);
            if (Path.GetFullPath(file.LocalPath) != stored)
                throw new EvidenceStoreException($"{file.LocalPath} is not in run {runId}'s evidence folder ({WorkFolder(runId)}).");
            File.SetAttributes(stored, File.GetAttributes(stored) | FileAttributes.ReadOnly);
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = folder.Absolute(key);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public string Where(string key) => folder.Absolute(key);
}
