namespace SoxAuto.Core.Catalog;

public enum SqlTokenKind { Word, QuotedIdentifier, String, Placeholder, Semicolon, OpenParen, CloseParen, Comma, Symbol, Comment }

/// <summary>A piece of SQL text. <see cref="Offset"/> is where it starts in the text.</summary>
public sealed record SqlToken(SqlTokenKind Kind, string Text, int Offset);

/// <summary>
/// Splits Athena (Trino) SQL into tokens, knowing exactly where comments (<c>--</c> to the end of the
/// line, <c>/* ... */</c>), string literals (<c>'...'</c> with <c>''</c> inside) and quoted identifiers
/// (<c>"..."</c> with <c>""</c> inside) begin and end. That is what a regular expression cannot do
/// reliably: a semicolon or DROP inside a string is harmless, the same text after a closed string is not.
/// Where the two engines read the same text differently, it takes the reading that hides more, or
/// refuses: a <c>--</c> comment ends at CR as well as LF (both engines), DuckDB's dollar-quoted strings
/// (<c>$$...$$</c>, <c>$tag$...$tag$</c>) are strings, and a <c>/*</c> inside a block comment is refused
/// (DuckDB nests block comments, Trino does not).
/// </summary>
public static class SqlTokenizer
{
    public static IReadOnlyList<SqlToken> Tokenize(string sql, List<SqlProblem> problems)
    {
        var tokens = new List<SqlToken>();
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            int start = i;
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && Next(sql, i) == '-')
            {
                while (i < sql.Length && sql[i] is not ('\n' or '\r')) i++;
                tokens.Add(new(SqlTokenKind.Comment, sql[start..i], start));
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add(SqlProblem.At(sql, start, "This /* comment is never closed with */, so everything after it would be hidden."));
                    i = sql.Length;
                }
                else i = end + 2;
                int inner = sql.IndexOf("/*", start + 2, i - start - 2, StringComparison.Ordinal);
                if (inner >= 0)
                    problems.Add(SqlProblem.At(sql, inner, "A /* inside a comment: DuckDB nests comments and Trino does not, so they would disagree on where it ends. Remove the inner /*."));
                tokens.Add(new(SqlTokenKind.Comment, sql[start..i], start));
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                int end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add(SqlProblem.At(sql, start, $"This {tag} string is never closed with {tag}."));
                    i = sql.Length;
                }
                else i = end + tag.Length;
                tokens.Add(new(SqlTokenKind.String, sql[start..i], start));
            }
            else if (c is '\'' or '"' or '`')
            {
                i = Quoted(sql, i, c);
                if (i < 0)
                {
                    problems.Add(SqlProblem.At(sql, start, c == '\''
                        ? "This string literal is never closed (a quote inside a string is written twice: '')."
                        : $"This quoted identifier is never closed with {c}."));
                    i = sql.Length;
                }
                tokens.Add(new(c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier, sql[start..i], start));
            }
            else if (c == '{' && Next(sql, i) == '{')
            {
                int end = sql.IndexOf("}}", i + 2, StringComparison.Ordinal);
                i = end < 0 ? i + 2 : end + 2;
                tokens.Add(new(SqlTokenKind.Placeholder, sql[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                tokens.Add(new(SqlTokenKind.Word, sql[start..i], start));
            }
            else
            {
                i++;
                var kind = c switch
                {
                    ';' => SqlTokenKind.Semicolon,
                    '(' => SqlTokenKind.OpenParen,
                    ')' => SqlTokenKind.CloseParen,
                    ',' => SqlTokenKind.Comma,
                    _ => SqlTokenKind.Symbol,
                };
                tokens.Add(new(kind, c.ToString(), start));
            }
        }
        return tokens;
    }

    private static char Next(string s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    /// <summary>The opening delimiter of a DuckDB dollar-quoted string at <paramref name="i"/> (<c>$$</c> or
    /// <c>$tag$</c>), or null.</summary>
    private static string? DollarTag(string s, int i)
    {
        int j = i + 1;
        if (j < s.Length && (char.IsAsciiLetter(s[j]) || s[j] == '_'))
            while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] == '_')) j++;
        return j < s.Length && s[j] == '$' ? s[i..(j + 1)] : null;
    }

    /// <summary>The index just after the closing quote, or -1 when there is none. A doubled quote is content.</summary>
    private static int Quoted(string s, int i, char quote)
    {
        i++;
        while (i < s.Length)
        {
            if (s[i] == quote)
            {
                if (Next(s, i) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return -1;
    }
}
