using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>The one pass every run and the benchmark use: what observers see, and which byte parts it does.</summary>
public sealed class EvidencePassTests
{
    private const string Csv = "\"id\",\"amount\"\n\"1\",\"12345678901234567890.01\"\n\"2\",\n\"3\",\"\"\n";
    private static readonly (string, string)[] Columns = [("id", "bigint"), ("amount", "decimal(38,2)")];

    [Fact]
    public async Task Every_observer_sees_the_header_then_each_row_in_order_then_the_end()
    {
        var first = new Recorder();
        var second = new Recorder();

        var pass = await EvidencePass.RunAsync(EvidenceTestKit.Result(Csv, Columns), [first, second], new PassBytes(Sha256: false), null, default);

        string[] expected = ["begin id:bigint amount:decimal(38,2)", "row 1|12345678901234567890.01", "row 2|NULL", "row 3|", "end 3"];
        Assert.Equal(expected, first.Seen);
        Assert.Equal(expected, second.Seen);
        Assert.Equal(3, pass.Rows);
    }

    [Fact]
    public async Task Hash_and_stored_copy_are_done_only_when_asked_for()
    {
        var bytes = Encoding.UTF8.GetBytes(Csv);

        var bare = await EvidencePass.RunAsync(EvidenceTestKit.Result(Csv, Columns), [], new PassBytes(Sha256: false), null, default);
        using var copy = new MemoryStream();
        var whole = await EvidencePass.RunAsync(EvidenceTestKit.Result(Csv, Columns), [], new PassBytes(Sha256: true, StoredExtract: copy), null, default);

        Assert.Null(bare.Sha256);
        Assert.Equal((3L, (long)bytes.Length), (bare.Rows, bare.Bytes));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), whole.Sha256);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_header_that_does_not_match_the_engine_columns_reaches_no_observer()
    {
        var observer = new Recorder();
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            EvidencePass.RunAsync(EvidenceTestKit.Result("\"id\",\"other\"\n\"1\",\"x\"\n", Columns), [observer], new PassBytes(Sha256: true), null, default));
        Assert.Contains("does not match the engine's columns", e.Message);
        Assert.Empty(observer.Seen);
    }

    /// <summary>Writes down what it is shown, values read as an observer reads them (exact numbers).</summary>
    private sealed class Recorder : IExtractObserver
    {
        public List<string> Seen { get; } = [];

        public void Begin(ExtractHeader header) => Seen.Add("begin " + string.Join(" ", header.Columns.Select(c => $"{c.Name}:{c.Type}")));

        public void Row(IExtractRow row) => Seen.Add("row " + string.Join("|",
            Enumerable.Range(0, 2).Select(i => row.IsNull(i) ? "NULL" : row.TryNumber(i, out var n) ? n.ToString() : row.Text(i))));

        public void End(long rows) => Seen.Add($"end {rows}");
    }
}
