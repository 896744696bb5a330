using System.Text;
using SoxAuto.Core.Extract;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Extract;

public class AthenaCsvReaderTests
{
    private static async Task<(string[] Header, List<string?[]> Rows)> ReadAll(string csv, int chunk = int.MaxValue, int buffer = 1 << 20)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var reader = new AthenaCsvReader(new TrickleStream(bytes, chunk), buffer);
        var header = await reader.ReadHeaderAsync(CancellationToken.None);
        var rows = new List<string?[]>();
        while (await reader.ReadRowAsync(CancellationToken.None))
            rows.Add(Enumerable.Range(0, header.Length).Select(reader.Text).ToArray());
        Assert.Equal(rows.Count, reader.DataRows);
        return (header, rows);
    }

    [Fact]
    public async Task Reads_quoted_values_containing_commas_doubled_quotes_and_newlines()
    {
        var (header, rows) = await ReadAll("\"id\",\"text\"\n\"1\",\"a, b\"\n\"2\",\"say \"\"hi\"\"\"\n\"3\",\"line one\nline two\"\n");
        Assert.Equal(["id", "text"], header);
        Assert.Equal(3, rows.Count);
        Assert.Equal("a, b", rows[0][1]);
        Assert.Equal("say \"hi\"", rows[1][1]);
        Assert.Equal("line one\nline two", rows[2][1]);
    }

    [Fact]
    public async Task Keeps_NULL_distinct_from_the_empty_string()
    {
        var (_, rows) = await ReadAll("\"a\",\"b\",\"c\"\n,\"\",\"x\"\n\"\",,\n");
        Assert.Equal<IEnumerable<string?>>([null, "", "x"], rows[0]);
        Assert.Equal<IEnumerable<string?>>(["", null, null], rows[1]);
    }

    [Fact]
    public async Task Keeps_a_CRLF_inside_a_quoted_value()
    {
        var (_, rows) = await ReadAll("\"v\"\n\"first\r\nsecond\"\n");
        Assert.Equal("first\r\nsecond", rows.Single()[0]);
    }

    [Fact]
    public async Task Reads_unicode_values_whole()
    {
        var (header, rows) = await ReadAll("\"nom\",\"montant\"\n\"Société Générale ₦ 🧾 日本\",\"1\"\n");
        Assert.Equal("nom", header[0]);
        Assert.Equal("Société Générale ₦ 🧾 日本", rows.Single()[0]);
    }

    [Fact]
    public async Task Reads_a_NULL_in_a_one_column_result_as_an_empty_line()
    {
        var (_, rows) = await ReadAll("\"only\"\n\"a\"\n\n\"\"\n");
        Assert.Equal(["a", null, ""], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Reads_a_last_row_without_a_final_newline()
    {
        var (_, rows) = await ReadAll("\"a\",\"b\"\n\"1\",\"2\"\n\"3\",");
        Assert.Equal<IEnumerable<string?>>(["3", null], rows[1]);
    }

    [Fact]
    public async Task Reads_the_same_values_when_bytes_arrive_one_at_a_time_into_a_tiny_buffer()
    {
        var csv = "\"id\",\"text\",\"n\"\n\"1\",\"say \"\"hi\"\", then\r\nmore\",\n\"2\",\"\",\"3.50\"\n\"3\",\"ü🧾\",\"\"\"\"\n";
        var whole = await ReadAll(csv);
        var trickled = await ReadAll(csv, chunk: 1, buffer: 64);
        Assert.Equal(whole.Rows, trickled.Rows);
        Assert.Equal("\"", trickled.Rows[2][2]);
    }

    [Fact]
    public async Task Reads_a_row_larger_than_the_initial_buffer()
    {
        var big = new string('x', 10_000);
        var (_, rows) = await ReadAll($"\"a\",\"b\"\n\"{big}\",\"{big.Replace("x", "\"\"")}\"\n", chunk: 100, buffer: 64);
        Assert.Equal(big, rows.Single()[0]);
        Assert.Equal(new string('"', 10_000), rows.Single()[1]);
    }

    [Theory]
    [InlineData("\"a\",\"b\"\n\"1\",\"unterminated\n", "not terminated")]
    [InlineData("\"a\",\"b\"\n\"1\"\n", "1 values but the header has 2")]
    [InlineData("\"a\",\"b\"\n\"1\",\"2\",\"3\"\n", "more values than the header's 2")]
    [InlineData("\"a\",\"b\"\n\"1\"x,\"2\"\n", "unexpected text after a closing quote")]
    [InlineData("\"a\",\"b\"\r\n\"1\",\"2\"\r\n", "carriage return")]
    [InlineData("\"a\",\"b\"\n1\"2,\"3\"\n", "quote appears inside an unquoted value")]
    [InlineData("", "no header row")]
    [InlineData("\"a\",,\"c\"\n", "has no name")]
    public async Task Rejects_malformed_input_with_a_clear_error(string csv, string expected)
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(csv));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Names_the_data_row_where_the_extract_is_malformed()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll("\"a\"\n\"1\"\n\"2\"\n\"3\"x\n"));
        Assert.Contains("data row 3", e.Message);
    }

    [Fact]
    public async Task Refuses_a_row_longer_than_the_limit_instead_of_buffering_the_whole_file()
    {
        var csv = "\"a\"\n\"" + new string('x', 5000); // an opening quote that never closes
        var reader = new AthenaCsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)), bufferBytes: 64, maxRowBytes: 1024);
        await reader.ReadHeaderAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadRowAsync(CancellationToken.None));
        Assert.Contains("unterminated quote", e.Message);
    }
}
