using DuckDB.NET.Data;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>Issue 9, finding 6: a Text value with a line break ended the <c>--</c> comment its placeholder
/// stood in, and the rest of the value became SQL. Each neighbour of that case is refused, or rendered so
/// that DuckDB reads it back as exactly the value, one literal.</summary>
public class ParameterInjectionTests
{
    private static readonly Period September = Period.Parse("2025-09", new DateOnly(2026, 11, 25));
    private static readonly ParameterDefinition Company = new("company", ParameterType.Text);

    private static IpeDefinition Ipe(string sql) => new()
    {
        Id = "IPE_T",
        Title = "t",
        Description = "d",
        Control = "C-PG-1",
        Database = "process_pg_bob",
        Sql = sql,
        Parameters = [Company],
    };

    private static IReadOnlyList<ParameterValue> Bind(string value) =>
        ParameterBinder.Bind(Ipe("SELECT {{company}}"), September, new Dictionary<string, string> { ["company"] = value });

    private static ParameterValue Value(string value) => new("company", ParameterType.Text, [value]);

    /// <summary>The probe's IPE: the value in the code and again in a comment.</summary>
    private const string Probed = "SELECT * FROM pg_bob_voucher\nWHERE company = {{company}} -- company filter: {{company}}";

    [Fact]
    public void The_probed_value_with_a_line_break_is_refused_by_the_binder()
    {
        var e = Assert.Throws<ParameterException>(() => Bind("EC_NG\nOR 1=1 --"));
        Assert.Equal("Parameter company contains a line break (LF) at position 6; a value must be one line of printable text.", e.Message);
    }

    [Fact]
    public void The_probed_IPE_saved_before_the_rule_is_refused_by_the_renderer_whatever_the_value()
    {
        foreach (var value in new[] { "EC_NG", "EC_NG OR 1=1 --" })
        {
            var e = Assert.Throws<ParameterException>(() => QueryRenderer.Render(Probed, [Value(value)]));
            Assert.Contains("Line 2, column 48: A placeholder inside a comment", e.Message);
            Assert.Contains("An admin must correct the IPE", e.Message);
        }
    }

    [Theory]
    [InlineData("SELECT 1 /* {{company}} */ WHERE c = {{company}}", "inside a comment")]
    [InlineData("SELECT 1 WHERE c = {{company}} -- x\r\n-- {{company}}", "inside a comment")]
    [InlineData("SELECT 1 WHERE c = '{{company}}'", "inside quotes")]
    [InlineData("SELECT \"{{company}}\" WHERE c = {{company}}", "inside quotes")]
    [InlineData("SELECT $${{company}}$$ WHERE c = {{company}}", "inside quotes")]
    [InlineData("SELECT 1 WHERE c = E{{company}}", "touches the text next to it")]
    [InlineData("SELECT 1 WHERE c = 'a'{{company}}", "touches the text next to it")]
    [InlineData("SELECT 1 WHERE c = {{company}} /* a /* nested */ {{company}} */", "inside a comment")]
    [InlineData("SELECT 1 WHERE c = {{company}} /* never closed", "never closed")]
    public void The_renderer_fills_in_placeholders_in_code_only_and_refuses_the_rest(string sql, string message)
    {
        var e = Assert.Throws<ParameterException>(() => QueryRenderer.Render(sql, [Value("EC_NG")]));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("EC_NG\r\nOR 1=1 --", "a line break (CR) at position 6")]
    [InlineData("EC_NG\rOR 1=1 --", "a line break (CR) at position 6")]
    [InlineData("EC_NG\u2028OR 1=1 --", "a line break (U+2028) at position 6")]
    [InlineData("EC_NG\u2029OR 1=1 --", "a line break (U+2029) at position 6")]
    [InlineData("EC_NG\u0085OR 1=1 --", "a line break (U+0085) at position 6")]
    [InlineData("EC\tNG", "a tab at position 3")]
    [InlineData("EC\0NG", "a NUL character at position 3")]
    [InlineData("EC\u001bNG", "the control character U+001B at position 3")]
    [InlineData("EC\u009bNG", "the control character U+009B at position 3")]
    public void A_value_with_a_control_character_is_refused_by_the_binder_and_by_the_literal(string value, string why)
    {
        Assert.Contains(why, Assert.Throws<ParameterException>(() => Bind(value)).Message);
        Assert.Contains(why, Assert.Throws<ParameterException>(() => SqlLiteral.Text(value)).Message);
        var list = Ipe("SELECT 1 WHERE c IN {{company}}") with { Parameters = [Company with { Type = ParameterType.TextList }] };
        Assert.Contains(why, Assert.Throws<ParameterException>(() =>
            ParameterBinder.Bind(list, September, new Dictionary<string, string> { ["company"] = "EC_KE, " + value })).Message);
    }

    /// <summary>What a value may hold renders as one literal that DuckDB reads back unchanged, wherever in the
    /// code the placeholder stands (before a comment, inside parentheses, at the end).</summary>
    [Theory]
    [InlineData("EC_NG' OR '1'='1")]
    [InlineData("'; DROP TABLE t; --")]
    [InlineData("EC_NG */ OR 1=1 /*")]
    [InlineData("EC_NG -- OR 1=1")]
    [InlineData("a\\' OR 1=1 --")]
    [InlineData("a\\\\' OR 1=1 --")]
    [InlineData("a\\nOR 1=1")]
    [InlineData("$$ OR 1=1 --")]
    [InlineData("{{company}}")]
    public void Quotes_backslashes_and_comment_marks_in_a_value_stay_inside_its_literal(string value)
    {
        var values = Bind(value);
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        foreach (var sql in new[]
                 {
                     "SELECT {{company}} AS v -- the company\n",
                     "SELECT v FROM (SELECT {{company}} AS v) WHERE v = {{company}}",
                     "SELECT v FROM (VALUES ({{company}})) t(v) /* one row */",
                 })
        {
            using var cmd = con.CreateCommand();
            cmd.CommandText = QueryRenderer.Render(sql, values);
            using var reader = cmd.ExecuteReader();
            Assert.True(reader.Read(), cmd.CommandText);
            Assert.Equal(1, reader.FieldCount);
            Assert.Equal(value, reader.GetString(0));
            Assert.False(reader.Read(), cmd.CommandText);
        }
    }

    [Fact]
    public void A_pattern_that_backtracks_forever_is_a_refusal_not_an_exception()
    {
        var ipe = Ipe("SELECT {{company}}") with { Parameters = [Company with { Pattern = "^(a+)+$" }] };
        var e = Assert.Throws<ParameterException>(() =>
            ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["company"] = new string('a', 5000) + "!" }));
        Assert.Contains("could not be checked against its pattern in time", e.Message);
    }
}
