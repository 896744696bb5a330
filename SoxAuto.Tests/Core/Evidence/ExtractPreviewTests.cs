using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

public sealed class ExtractPreviewTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private async Task<string> Extract(int rows)
    {
        var lines = Enumerable.Range(1, rows).Select(i => i % 3 == 0 ? $"\"{i}\",\n" : i % 3 == 1 ? $"\"{i}\",\"\"\n" : $"\"{i}\",\"v,{i}\"\n");
        await File.WriteAllTextAsync(_kit.ExtractPath, "\"id\",\"value\"\n" + string.Concat(lines));
        return _kit.ExtractPath;
    }

    [Fact]
    public async Task First_page_has_the_header_and_rows_with_NULL_distinct_from_empty()
    {
        var page = await new ExtractPreview().ReadPageAsync(await Extract(10), 0, 3, CancellationToken.None);
        Assert.Equal(["id", "value"], page.Columns);
        Assert.Equal<IEnumerable<string?>>(["1", ""], page.Rows[0]);
        Assert.Equal<IEnumerable<string?>>(["2", "v,2"], page.Rows[1]);
        Assert.Equal<IEnumerable<string?>>(["3", null], page.Rows[2]);
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task Later_page_skips_rows_and_knows_when_it_is_the_last()
    {
        var path = await Extract(10);
        var page = await new ExtractPreview().ReadPageAsync(path, 8, 5, CancellationToken.None);
        Assert.Equal(["9", "10"], page.Rows.Select(r => r[0]));
        Assert.Equal(8, page.Skip);
        Assert.False(page.HasMore);

        var exact = await new ExtractPreview().ReadPageAsync(path, 5, 5, CancellationToken.None);
        Assert.Equal(5, exact.Rows.Count);
        Assert.False(exact.HasMore);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty()
    {
        var page = await new ExtractPreview().ReadPageAsync(await Extract(2), 50, 10, CancellationToken.None);
        Assert.Empty(page.Rows);
        Assert.False(page.HasMore);
    }
}
