using SoxAuto.Core.Catalog;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>The rules an IPE's SQL must meet before it can be saved, each refusal with a useful message
/// and, where it has one, its line and column.</summary>
public class IpeValidationTests
{
    private static IpeDefinition Ipe(string sql, params ParameterDefinition[] parameters) => SeedCatalog.All.Single(i => i.Id == "IPE_09") with
    {
        Sql = sql,
        Parameters = parameters,
        Checks = new(), // only the SQL is under test, not the seed's control queries
    };

    private static IReadOnlyList<SqlProblem> Problems(string sql, params ParameterDefinition[] parameters) =>
        IpeValidation.Validate(Ipe(sql, parameters));

    public static TheoryData<string> Seed => new(SeedCatalog.All.Select(i => i.Id));

    [Theory]
    [MemberData(nameof(Seed))]
    public void Every_seed_IPE_is_valid(string id) =>
        Assert.Empty(IpeValidation.Validate(SeedCatalog.All.Single(i => i.Id == id)));

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("select order_id from t where d <= {{period_end}};")]
    [InlineData("WITH a AS (SELECT 1 AS x), b (y) AS (SELECT x FROM a) SELECT * FROM b")]
    [InlineData("(SELECT 1) UNION ALL (SELECT 2)")]
    [InlineData("-- a comment; DROP TABLE x\nSELECT 'it''s; DROP TABLE x' AS s /* ; DELETE */")]
    [InlineData("SELECT \"delete\", \"insert\" FROM t")]
    public void Read_only_single_queries_are_accepted(string sql) => Assert.Empty(Problems(sql));

    [Theory]
    [InlineData("INSERT INTO t SELECT 1", "INSERT is not allowed", 1, 1)]
    [InlineData("DELETE FROM t", "DELETE is not allowed", 1, 1)]
    [InlineData("UPDATE t SET a = 1", "UPDATE is not allowed", 1, 1)]
    [InlineData("MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", "MERGE is not allowed", 1, 1)]
    [InlineData("DROP TABLE t", "DROP is not allowed", 1, 1)]
    [InlineData("CREATE TABLE t AS SELECT 1", "CREATE is not allowed", 1, 1)]
    [InlineData("ALTER TABLE t ADD COLUMN c int", "ALTER is not allowed", 1, 1)]
    [InlineData("UNLOAD (SELECT 1) TO 's3://b/' WITH (format = 'CSV')", "UNLOAD is not allowed", 1, 1)]
    [InlineData("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "INSERT is not allowed", 1, 22)]
    [InlineData("SELECT 1;\nDROP TABLE t", "second statement", 2, 1)]
    [InlineData("SELECT 1 -- harmless\n; DELETE FROM t", "second statement", 2, 3)]
    [InlineData("SELECT 1 /* x */; SELECT 2", "second statement", 1, 19)]
    [InlineData("SELECT 'a'';' ; DROP TABLE t", "second statement", 1, 17)]
    [InlineData("SELECT 1 /* never closed; DROP TABLE t", "never closed", 1, 10)]
    [InlineData("SELECT 'never closed; DROP TABLE t", "never closed", 1, 8)]
    [InlineData("SELECT a INTO t2 FROM t", "INTO is not allowed", 1, 10)]
    [InlineData("SHOW TABLES", "SHOW is not allowed", 1, 1)]
    [InlineData("", "empty", null, null)]
    [InlineData("-- only a comment", "only comments", null, null)]
    public void Forbidden_SQL_is_refused_with_its_position(string sql, string message, int? line, int? column)
    {
        var problem = Assert.Single(Problems(sql), p => p.Message.Contains(message, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(line, problem.Line);
        Assert.Equal(column, problem.Column);
    }

    [Fact]
    public void A_placeholder_that_is_not_declared_is_refused_where_it_is()
    {
        var problem = Assert.Single(Problems("SELECT *\nFROM t WHERE c IN {{companies}}"));
        Assert.Contains("{{companies}} is not a declared parameter", problem.Message);
        Assert.Equal((2, 19), (problem.Line, problem.Column));
    }

    [Fact]
    public void A_declared_parameter_that_the_SQL_never_uses_is_refused()
    {
        var problem = Assert.Single(Problems("SELECT 1 -- companies, named in a comment, does not count",
            new ParameterDefinition("companies", ParameterType.TextList, Default: "EC_NG")));
        Assert.Contains("'companies' is declared but the SQL never uses", problem.Message);
    }

    /// <summary>Issue 9, finding 6: a placeholder in a comment was filled in there, and a value with a line
    /// break ended the comment. Wherever a value could change the query's meaning, the placeholder is refused.</summary>
    [Theory]
    [InlineData("SELECT * FROM t\n-- company filter: {{company}}\nWHERE c = {{company}}", "inside a comment", 2, 20)]
    [InlineData("SELECT * FROM t WHERE c = {{company}} /* or {{company}} */", "inside a comment", 1, 45)]
    [InlineData("SELECT * FROM t WHERE c = {{company}} -- x\r-- {{company}}", "inside a comment", 1, 47)]
    [InlineData("SELECT * FROM t WHERE c = '{{company}}'", "inside quotes", 1, 28)]
    [InlineData("SELECT \"{{company}}\" FROM t WHERE c = {{company}}", "inside quotes", 1, 9)]
    [InlineData("SELECT $${{company}}$$ AS v FROM t WHERE c = {{company}}", "inside quotes", 1, 10)]
    [InlineData("SELECT $q$ {{company}} $q$ AS v FROM t WHERE c = {{company}}", "inside quotes", 1, 12)]
    [InlineData("SELECT * FROM t WHERE c = E{{company}}", "touches the text next to it", 1, 28)]
    [InlineData("SELECT * FROM t WHERE c = U&{{company}}", "touches the text next to it", 1, 29)]
    [InlineData("SELECT * FROM t WHERE c = 'a'{{company}}", "touches the text next to it", 1, 30)]
    [InlineData("SELECT * FROM t WHERE c = {{company}}'a'", "touches the text next to it", 1, 27)]
    [InlineData("SELECT * FROM t WHERE c = {{company}}{{company}}", "touches the text next to it", 1, 27)]
    [InlineData("SELECT * FROM t WHERE c = {{company}} /* a /* nested */ comment */", "A /* inside a comment", 1, 44)]
    public void A_placeholder_where_a_value_could_change_the_query_is_refused_with_its_position(string sql, string message, int line, int column)
    {
        var problems = Problems(sql, new ParameterDefinition("company", ParameterType.Text));
        var problem = problems.FirstOrDefault(p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(problem is not null, string.Join(" | ", problems));
        Assert.Equal((line, column), (problem.Line, problem.Column));
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE c = {{company}}")]
    [InlineData("SELECT * FROM t WHERE c IN ({{company}}) -- one company\n")]
    [InlineData("SELECT * FROM t WHERE c={{company}};")]
    [InlineData("SELECT * FROM t WHERE c = {{ company }} /* the company, from its parameter */")]
    [InlineData("SELECT 'a $$ b' AS s FROM t WHERE c = {{company}}")]
    public void A_placeholder_in_the_query_itself_is_accepted(string sql) =>
        Assert.Empty(Problems(sql, new ParameterDefinition("company", ParameterType.Text)));

    [Fact]
    public void A_line_comment_ends_at_a_carriage_return_as_the_engines_read_it()
    {
        // Trino and DuckDB both end "--" at CR: what follows is code, and here a second statement.
        var problem = Assert.Single(Problems("SELECT 1 -- note\r; DROP TABLE t"));
        Assert.Contains("second statement", problem.Message);
    }

    [Fact]
    public void A_placeholder_inside_quotes_is_refused()
    {
        var problem = Assert.Single(Problems("SELECT * FROM t WHERE d = '{{period_end}}'"));
        Assert.Contains("inside quotes", problem.Message);
        Assert.Equal((1, 28), (problem.Line, problem.Column));
    }

    [Fact]
    public void Parameters_are_checked_too()
    {
        var problems = Problems("SELECT {{x}}, {{period_end}}",
            new ParameterDefinition("x", ParameterType.Text, Pattern: "(unclosed"),
            new ParameterDefinition("x", ParameterType.Date, Default: "not a date"),
            new ParameterDefinition("period_end", ParameterType.Date));
        Assert.Contains(problems, p => p.Message.Contains("declared 2 times"));
        Assert.Contains(problems, p => p.Message.Contains("not a valid regular expression"));
        Assert.Contains(problems, p => p.Message.Contains("default of parameter 'x' is invalid"));
        Assert.Contains(problems, p => p.Message.Contains("'period_end' is a period value"));
    }
}
