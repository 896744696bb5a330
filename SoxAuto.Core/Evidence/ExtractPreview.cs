namespace SoxAuto.Core.Evidence;

/// <summary>One page of a stored extract. A null cell is SQL NULL; "" is an empty string.</summary>
public sealed record PreviewPage(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, long Skip, bool HasMore);

/// <summary>Reads pages of a stored extract for the browser preview, without loading the file whole.</summary>
public sealed class ExtractPreview
{
    public Task<PreviewPage> ReadPageAsync(string extractPath, long skip, int take, CancellationToken ct)
        => throw new NotImplementedException("evidence helper");
}
