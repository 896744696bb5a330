using System.Text;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Extract;

public class AthenaCsvWriterTests
{
    private static byte[] Write(IReadOnlyList<string> header, params string?[][] rows)
    {
        using var stream = new MemoryStream();
        using (var csv = new AthenaCsvWriter(stream, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows) csv.WriteRow(row);
        }
        return stream.ToArray();
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Header_and_every_value_are_quoted_and_lines_end_with_LF_only()
    {
        var csv = Text(Write(["company", "amount"], ["EC_NG", "1234.50"], ["JD_GH", "-0.01"]));
        Assert.Equal("\"company\",\"amount\"\n\"EC_NG\",\"1234.50\"\n\"JD_GH\",\"-0.01\"\n", csv);
    }

    [Fact]
    public void NULL_is_an_empty_unquoted_field_and_the_empty_string_is_two_quotes()
    {
        var csv = Text(Write(["a", "b", "c"], [null, "", null]));
        Assert.Equal("\"a\",\"b\",\"c\"\n,\"\",\n", csv);
    }

    [Theory]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line 1\nline 2", "\"line 1\nline 2\"")]
    [InlineData("cr\r\nlf", "\"cr\r\nlf\"")]
    [InlineData("=SUM(A1)", "\"=SUM(A1)\"")]
    [InlineData("-Minus Ltd", "\"-Minus Ltd\"")]
    [InlineData("Côte d'Ivoire, شركة ✓", "\"Côte d'Ivoire, شركة ✓\"")]
    public void Awkward_text_is_kept_exactly_inside_its_quotes(string value, string field)
    {
        var csv = Text(Write(["v"], [value]));
        Assert.Equal("\"v\"\n" + field + "\n", csv);
    }

    [Fact]
    public void Output_is_UTF8_without_a_byte_order_mark()
    {
        var bytes = Write(["é"], ["ü"]);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(Encoding.UTF8.GetBytes("\"é\"\n\"ü\"\n"), bytes);
    }

    [Fact]
    public void A_header_alone_is_a_valid_empty_result_and_counts_no_rows()
    {
        using var stream = new MemoryStream();
        using var csv = new AthenaCsvWriter(stream, leaveOpen: true);
        csv.WriteHeader(["only"]);
        csv.Flush();
        Assert.Equal(0, csv.Rows);
        Assert.Equal("\"only\"\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Column_names_are_quoted_and_escaped_like_values()
    {
        var csv = Text(Write(["total \"net\", LCY"], ["1"]));
        Assert.Equal("\"total \"\"net\"\", LCY\"\n\"1\"\n", csv);
    }
}
