using System.Text;
using System.Text.RegularExpressions;

namespace SoxAuto.Core.Catalog;

/// <summary>A <c>{{name}}</c> placeholder in the code of a query, where <see cref="QueryRenderer"/> puts a value.</summary>
public sealed record Placeholder(string Name, int Offset, int Length);

/// <summary>
/// Replaces each <c>{{name}}</c> placeholder with its value rendered by <see cref="SqlLiteral"/>. It reads
/// the SQL with <see cref="SqlTokenizer"/>, so it fills in placeholders in code only, and refuses SQL in
/// which a placeholder stands where a value could change the query's meaning: inside a comment (a line
/// break would end it), a string or a quoted identifier, or glued to a neighbour (<c>E{{x}}</c> would
/// make the value a DuckDB escape string). <see cref="IpeValidation"/> refuses the same on save; the
/// renderer refuses again so that an IPE saved before the rule existed cannot be exploited either.
/// </summary>
public static partial class QueryRenderer
{
    public static string Render(string sql, IReadOnlyList<ParameterValue> values)
    {
        var problems = new List<SqlProblem>();
        var placeholders = Placeholders(sql, SqlTokenizer.Tokenize(sql, problems), problems);
        if (problems.Count > 0)
            throw new ParameterException($"The IPE's SQL cannot be filled in safely ({problems[0]}). An admin must correct the IPE.");
        var byName = values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var missing = placeholders.Select(p => p.Name).Where(n => !byName.ContainsKey(n)).Distinct().ToList();
        if (missing.Count > 0)
            throw new ParameterException($"The SQL uses undeclared parameter(s): {string.Join(", ", missing)}.");

        var text = new StringBuilder(sql.Length + 64);
        int at = 0;
        foreach (var p in placeholders)
        {
            text.Append(sql, at, p.Offset - at).Append(SqlLiteral.Render(byName[p.Name]));
            at = p.Offset + p.Length;
        }
        return text.Append(sql, at, sql.Length - at).ToString();
    }

    /// <summary>The names of the placeholders in the SQL's code (not in comments or quotes), in order.</summary>
    public static IEnumerable<string> Placeholders(string sql) =>
        Placeholders(sql, SqlTokenizer.Tokenize(sql, []), []).Select(p => p.Name);

    /// <summary>The placeholders among <paramref name="tokens"/>; every one that stands where it must not, and
    /// every <c>{{</c> in a comment or quotes, is a problem with its line and column.</summary>
    internal static IReadOnlyList<Placeholder> Placeholders(string sql, IReadOnlyList<SqlToken> tokens, List<SqlProblem> problems)
    {
        var found = new List<Placeholder>();
        foreach (var t in tokens)
        {
            var inside = t.Kind switch
            {
                SqlTokenKind.Comment => "inside a comment, where a value could end the comment (a line break does)",
                SqlTokenKind.String or SqlTokenKind.QuotedIdentifier => "inside quotes: its value is already rendered as a typed literal",
                _ => null,
            };
            if (inside is not null)
            {
                var brace = t.Text.IndexOf("{{", StringComparison.Ordinal);
                if (brace >= 0)
                    problems.Add(SqlProblem.At(sql, t.Offset + brace,
                        $"A placeholder {inside}. Write {{{{name}}}} in the query itself, without quotes; a comment may name a parameter without braces."));
                continue;
            }
            if (t.Kind != SqlTokenKind.Placeholder) continue;
            var m = Exact().Match(t.Text);
            if (!m.Success)
            {
                problems.Add(SqlProblem.At(sql, t.Offset, $"'{Excerpt(t.Text)}' is not a placeholder: write {{{{name}}}} with a name of letters, digits and _."));
                continue;
            }
            int end = t.Offset + t.Text.Length;
            if (!StandsApart(sql, t.Offset - 1) || !StandsApart(sql, end))
            {
                problems.Add(SqlProblem.At(sql, t.Offset,
                    $"{t.Text} touches the text next to it: put a space or an operator on each side of a placeholder, so that its value stays one literal."));
                continue;
            }
            found.Add(new Placeholder(m.Groups[1].Value, t.Offset, t.Text.Length));
        }
        return found;
    }

    /// <summary>The character beside a placeholder must not join with its literal: a letter before it would
    /// prefix it (<c>E'...'</c> is a DuckDB escape string), a quote or another placeholder would merge strings.</summary>
    private static bool StandsApart(string sql, int i) =>
        i < 0 || i >= sql.Length || char.IsWhiteSpace(sql[i]) || "(),=<>!+-*/%|;:[]".Contains(sql[i]);

    private static string Excerpt(string text) => text.Length <= 30 ? text : text[..30] + "…";

    [GeneratedRegex(@"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")]
    private static partial Regex Exact();
}
