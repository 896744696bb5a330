namespace SoxAuto.Core.Evidence.Store;

public static class EvidenceStoreReads
{
    /// <summary>A stored file as a seekable stream, for readers that need one (a workbook opened as a zip): the
    /// folder's own file, or an object copied to a temporary file in <paramref name="tempFolder"/> that is
    /// deleted when the stream is closed. Null when there is no such file.</summary>
    public static async Task<Stream?> OpenSeekableAsync(this IEvidenceStore store, string key, string tempFolder, CancellationToken ct)
    {
        var stored = await store.OpenAsync(key, ct);
        if (stored is null || stored.CanSeek) return stored;
        await using (stored)
        {
            Directory.CreateDirectory(tempFolder);
            var copy = new FileStream(Path.Combine(tempFolder, $"evidence-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await stored.CopyToAsync(copy, ct);
                copy.Position = 0;
                return copy;
            }
            catch
            {
                await copy.DisposeAsync();
                throw;
            }
        }
    }
}
