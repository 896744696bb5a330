namespace SoxAuto.Core.Catalog;

/// <summary>
/// A table a query reads: its name as written (<see cref="Offset"/>, <see cref="Length"/> in the SQL), split into
/// catalog, database and table (unquoted parts lower-cased, as Athena folds them; quoted parts as written), and the
/// <c>FOR TIMESTAMP AS OF ...</c> (or <c>FOR VERSION AS OF ...</c>) clause written after it, if any.
/// </summary>
public sealed record TableReference(string? Catalog, string? Database, string Table, int Offset, int Length, string? AsOf)
{
    /// <summary>database.table, with <paramref name="database"/> for an unqualified name (the table alone when that is blank).</summary>
    public string Qualified(string? database) => (Database ?? database) is { Length: > 0 } db ? $"{db}.{Table}" : Table;
}

/// <summary>
/// Finds the tables a query reads, on the tokens of <see cref="SqlTokenizer"/> (so never inside a string literal or a
/// comment): the names after FROM, after JOIN, and in a comma-separated FROM list, qualified or not, quoted or not.
/// Names that a WITH clause defines are the query's own (not tables); a subquery's FROM is found where it stands; the
/// FROM of <c>EXTRACT(x FROM y)</c>, <c>TRIM</c>, <c>SUBSTRING</c>, <c>POSITION</c> and <c>IS DISTINCT FROM</c> is no table's.
/// Table functions (<c>UNNEST(...)</c>) are skipped. It reads, it does not validate: the engine judges the SQL.
/// </summary>
public static class TableReferences
{
    private static readonly HashSet<string> NotAnAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "ON", "USING", "TABLESAMPLE", "FOR",
        "SELECT", "FROM", "WITH", "LATERAL", "AS", "MATCH_RECOGNIZE",
    };

    /// <summary>Words that end a FROM clause: after them a comma no longer separates tables.</summary>
    private static readonly HashSet<string> AfterFrom = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY", "SELECT",
    };

    private static readonly HashSet<string> FromIsAnArgument = new(StringComparer.OrdinalIgnoreCase)
    {
        "EXTRACT", "TRIM", "SUBSTRING", "POSITION", "OVERLAY",
    };

    public static IReadOnlyList<TableReference> Find(string sql)
    {
        var t = SqlTokenizer.Tokenize(sql, []).Where(x => x.Kind != SqlTokenKind.Comment).ToList();
        var own = QueryNames(t);
        var found = new List<TableReference>();
        // The word before each open parenthesis that is still open: a FROM inside EXTRACT( ... ) is an argument.
        var open = new Stack<string?>();
        // The parenthesis depths at which a FROM clause is open: a comma there starts another table, also after a JOIN's ON.
        var fromAt = new Stack<int>();
        for (int i = 0; i < t.Count; i++)
        {
            switch (t[i].Kind)
            {
                case SqlTokenKind.OpenParen:
                    open.Push(i > 0 && t[i - 1].Kind == SqlTokenKind.Word ? t[i - 1].Text : null);
                    continue;
                case SqlTokenKind.CloseParen:
                    open.TryPop(out _);
                    while (fromAt.TryPeek(out var depth) && depth > open.Count) fromAt.Pop();
                    continue;
                case SqlTokenKind.Comma when fromAt.TryPeek(out var depth) && depth == open.Count:
                    ReadItem(sql, t, i + 1, own, found);
                    continue;
                case SqlTokenKind.Word when AfterFrom.Contains(t[i].Text):
                    if (fromAt.TryPeek(out var at) && at == open.Count) fromAt.Pop();
                    continue;
                case SqlTokenKind.Word when Is(t[i], "JOIN"):
                    ReadItem(sql, t, i + 1, own, found);
                    continue;
                case SqlTokenKind.Word when Is(t[i], "FROM"):
                    if (open.TryPeek(out var function) && function is not null && FromIsAnArgument.Contains(function)) continue;
                    if (i > 0 && Is(t[i - 1], "DISTINCT")) continue;
                    ReadItem(sql, t, i + 1, own, found);
                    if (!fromAt.TryPeek(out var top) || top != open.Count) fromAt.Push(open.Count);
                    continue;
            }
        }
        return found.OrderBy(r => r.Offset).ToList();
    }

    /// <summary>Reads one FROM item at <paramref name="i"/> (a table, a subquery, a table function), and records it
    /// when it is a table; returns the index after it (and after its alias).</summary>
    private static int ReadItem(string sql, List<SqlToken> t, int i, HashSet<string> own, List<TableReference> found)
    {
        if (i < t.Count && Is(t[i], "LATERAL")) i++;
        if (i >= t.Count) return i;
        if (t[i].Kind == SqlTokenKind.OpenParen)
            return Alias(t, Closing(t, i) + 1);
        var parts = new List<SqlToken>();
        int j = i;
        while (j < t.Count && t[j].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(t[j++]);
            if (j < t.Count && t[j].Text == "." && t[j].Kind == SqlTokenKind.Symbol) j++;
            else break;
        }
        if (parts.Count == 0) return i;
        // A table function such as UNNEST(...) or TABLE(...): no table of the catalog.
        if (j < t.Count && t[j].Kind == SqlTokenKind.OpenParen)
            return Alias(t, Closing(t, j) + 1);
        var names = parts.Select(Name).ToList();
        string? asOf = null;
        int end = j;
        if (j + 3 < t.Count && Is(t[j], "FOR") && t[j + 1].Kind == SqlTokenKind.Word && Is(t[j + 2], "AS") && Is(t[j + 3], "OF"))
        {
            int k = j + 4;
            if (k < t.Count && t[k].Kind == SqlTokenKind.OpenParen) k = Closing(t, k) + 1;
            else
            {
                if (k < t.Count && t[k].Kind == SqlTokenKind.Word && k + 1 < t.Count && t[k + 1].Kind == SqlTokenKind.String) k++;
                while (k < t.Count && t[k].Kind is SqlTokenKind.String or SqlTokenKind.Symbol && t[k].Text != ".") k++;
            }
            var last = t[Math.Min(k, t.Count) - 1];
            asOf = sql[t[j].Offset..(last.Offset + last.Text.Length)];
            end = k;
        }
        var unqualifiedOwn = names.Count == 1 && parts[0].Kind == SqlTokenKind.Word && own.Contains(names[0]);
        if (!unqualifiedOwn)
        {
            var first = parts[0];
            var lastPart = parts[^1];
            found.Add(new TableReference(
                names.Count >= 3 ? names[^3] : null, names.Count >= 2 ? names[^2] : null, names[^1],
                first.Offset, lastPart.Offset + lastPart.Text.Length - first.Offset, asOf));
        }
        return Alias(t, end);
    }

    /// <summary>Skips an alias (<c>AS x</c>, <c>x</c>, with column names <c>x (a, b)</c>) at <paramref name="i"/>.</summary>
    private static int Alias(List<SqlToken> t, int i)
    {
        if (i < t.Count && Is(t[i], "AS")) i++;
        if (i < t.Count && (t[i].Kind == SqlTokenKind.QuotedIdentifier || t[i].Kind == SqlTokenKind.Word && !NotAnAlias.Contains(t[i].Text)))
        {
            i++;
            if (i < t.Count && t[i].Kind == SqlTokenKind.OpenParen) i = Closing(t, i) + 1;
        }
        return i;
    }

    /// <summary>The names a WITH clause defines (<c>WITH [RECURSIVE] a [(cols)] AS (...), b AS (...)</c>), unquoted
    /// ones lower-cased; wherever a WITH stands (also in a subquery).</summary>
    private static HashSet<string> QueryNames(List<SqlToken> t)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < t.Count; i++)
        {
            if (!Is(t[i], "WITH")) continue;
            int j = i + 1;
            if (j < t.Count && Is(t[j], "RECURSIVE")) j++;
            while (j < t.Count && t[j].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                var name = Name(t[j++]);
                if (j < t.Count && t[j].Kind == SqlTokenKind.OpenParen) j = Closing(t, j) + 1;
                if (j >= t.Count || !Is(t[j], "AS")) break;
                names.Add(name);
                j++;
                while (j < t.Count && t[j].Kind == SqlTokenKind.Word && (Is(t[j], "NOT") || Is(t[j], "MATERIALIZED"))) j++;
                if (j >= t.Count || t[j].Kind != SqlTokenKind.OpenParen) break;
                j = Closing(t, j) + 1;
                if (j < t.Count && t[j].Kind == SqlTokenKind.Comma) j++;
                else break;
            }
        }
        return names;
    }

    /// <summary>The index of the parenthesis that closes the one at <paramref name="i"/> (the last token if none does).</summary>
    private static int Closing(List<SqlToken> t, int i)
    {
        int depth = 0;
        for (int k = i; k < t.Count; k++)
        {
            if (t[k].Kind == SqlTokenKind.OpenParen) depth++;
            else if (t[k].Kind == SqlTokenKind.CloseParen && --depth == 0) return k;
        }
        return t.Count - 1;
    }

    /// <summary>An identifier as the catalog knows it: unquoted folded to lower case (Athena's catalog names are),
    /// quoted taken as written, a doubled quote inside read as one.</summary>
    private static string Name(SqlToken token) => token.Kind == SqlTokenKind.QuotedIdentifier
        ? token.Text[1..^1].Replace(new string(token.Text[0], 2), token.Text[0].ToString(), StringComparison.Ordinal)
        : token.Text.ToLowerInvariant();

    private static bool Is(SqlToken token, string word) =>
        token.Kind == SqlTokenKind.Word && string.Equals(token.Text, word, StringComparison.OrdinalIgnoreCase);
}
