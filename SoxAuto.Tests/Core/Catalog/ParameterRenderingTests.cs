using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Catalog;

public class ParameterRenderingTests
{
    private static readonly Period September = Period.Parse("2025-09", new DateOnly(2026, 11, 25));

    private static IpeDefinition Ipe(string sql, params ParameterDefinition[] parameters) => new()
    {
        Id = "IPE_T",
        Title = "t",
        Description = "d",
        Control = "C-PG-1",
        Database = "process_pg_bob",
        Sql = sql,
        Parameters = parameters,
    };

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("O'Brien", "'O''Brien'")]
    [InlineData("'; DROP TABLE gl_entries; --", "'''; DROP TABLE gl_entries; --'")]
    [InlineData("", "''")]
    [InlineData("naïve ✓", "'naïve ✓'")]
    [InlineData("a\\'b", "'a\\''b'")]
    public void Text_literals_double_every_single_quote(string value, string literal) =>
        Assert.Equal(literal, SqlLiteral.Text(value));

    [Fact]
    public void Text_with_a_NUL_character_is_refused() =>
        Assert.Throws<ParameterException>(() => SqlLiteral.Text("a\0b"));

    [Fact]
    public void Dates_render_as_ANSI_date_literals() =>
        Assert.Equal("DATE '2025-09-30'", SqlLiteral.Render(new ParameterValue("d", ParameterType.Date, ["2025-09-30"])));

    [Fact]
    public void A_malformed_date_value_never_reaches_the_SQL() =>
        Assert.ThrowsAny<FormatException>(() => SqlLiteral.Date("2025-09-30' OR '1'='1"));

    [Fact]
    public void Lists_render_as_a_parenthesised_list_of_quoted_items() =>
        Assert.Equal("('EC_NG', 'O''X')", SqlLiteral.Render(new ParameterValue("c", ParameterType.TextList, ["EC_NG", "O'X"])));

    [Fact]
    public void The_period_values_are_always_bound_and_rendered()
    {
        var ipe = Ipe("SELECT * FROM t WHERE d >= {{period_start}} AND d <= {{ period_end }} AND d < {{next_period_start}}");
        var values = ParameterBinder.Bind(ipe, September);
        Assert.Equal(
            "SELECT * FROM t WHERE d >= DATE '2025-09-01' AND d <= DATE '2025-09-30' AND d < DATE '2025-10-01'",
            QueryRenderer.Render(ipe.Sql, values));
    }

    [Fact]
    public void Declared_parameters_take_their_defaults_including_period_names()
    {
        var ipe = Ipe("SELECT 1 WHERE a IN {{accounts}} AND d <= {{asof}}",
            new ParameterDefinition("accounts", ParameterType.TextList, Pattern: "^[0-9]{5}$", Default: "13003, 13004"),
            new ParameterDefinition("asof", ParameterType.Date, Default: "period_end"));
        var sql = QueryRenderer.Render(ipe.Sql, ParameterBinder.Bind(ipe, September));
        Assert.Equal("SELECT 1 WHERE a IN ('13003', '13004') AND d <= DATE '2025-09-30'", sql);
    }

    [Fact]
    public void A_supplied_value_overrides_the_default()
    {
        var ipe = Ipe("SELECT 1 WHERE c IN {{companies}}",
            new ParameterDefinition("companies", ParameterType.TextList, Pattern: "^[A-Z]{2}_[A-Z]{2}$", Default: "EC_NG"));
        var values = ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["companies"] = "JD_GH,EC_KE" });
        Assert.Equal("SELECT 1 WHERE c IN ('JD_GH', 'EC_KE')", QueryRenderer.Render(ipe.Sql, values));
    }

    [Theory]
    [InlineData("EC_NG') OR 1=1 --")]
    [InlineData("ec_ng")]
    [InlineData("EC_NG,XX")]
    public void A_value_that_fails_its_pattern_is_refused_before_any_SQL_exists(string given)
    {
        var ipe = Ipe("SELECT 1 WHERE c IN {{companies}}",
            new ParameterDefinition("companies", ParameterType.TextList, Pattern: "^[A-Z]{2}_[A-Z]{2}$"));
        var e = Assert.Throws<ParameterException>(() =>
            ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["companies"] = given }));
        Assert.Contains("not a valid value for companies", e.Message);
    }

    [Fact]
    public void A_date_parameter_must_be_a_date()
    {
        var ipe = Ipe("SELECT {{asof}}", new ParameterDefinition("asof", ParameterType.Date));
        var e = Assert.Throws<ParameterException>(() =>
            ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["asof"] = "30/09/2025" }));
        Assert.Contains("must be a date", e.Message);
    }

    [Fact]
    public void A_missing_required_parameter_is_refused()
    {
        var ipe = Ipe("SELECT {{who}}", new ParameterDefinition("who", ParameterType.Text));
        Assert.Contains("is required", Assert.Throws<ParameterException>(() => ParameterBinder.Bind(ipe, September)).Message);
    }

    [Fact]
    public void An_unknown_supplied_parameter_is_refused()
    {
        var ipe = Ipe("SELECT 1");
        var e = Assert.Throws<ParameterException>(() =>
            ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["evil"] = "x" }));
        Assert.Contains("no parameter named evil", e.Message);
    }

    [Fact]
    public void An_undeclared_placeholder_is_refused() =>
        Assert.Contains("undeclared parameter(s): nope",
            Assert.Throws<ParameterException>(() => QueryRenderer.Render("SELECT {{nope}}", [])).Message);

    [Fact]
    public void Text_values_are_quoted_even_without_a_pattern()
    {
        var ipe = Ipe("SELECT * FROM t WHERE note = {{note}}", new ParameterDefinition("note", ParameterType.Text));
        var values = ParameterBinder.Bind(ipe, September, new Dictionary<string, string> { ["note"] = "x' OR '1'='1" });
        Assert.Equal("SELECT * FROM t WHERE note = 'x'' OR ''1''=''1'", QueryRenderer.Render(ipe.Sql, values));
    }
}
