using System.Text.RegularExpressions;

namespace SoxAuto.Core.Catalog;

/// <summary>One thing wrong with an IPE definition. <see cref="Line"/> and <see cref="Column"/> (1-based)
/// point into the SQL when the problem is in it.</summary>
public sealed record SqlProblem(string Message, int? Line = null, int? Column = null)
{
    public static SqlProblem At(string sql, int offset, string message)
    {
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < sql.Length; i++)
        {
            if (sql[i] == '\n') { line++; col = 1; }
            else col++;
        }
        return new(message, line, col);
    }

    public override string ToString() => Line is null ? Message : $"Line {Line}, column {Column}: {Message}";
}

/// <summary>
/// The engine-independent rules an IPE must meet before it may be saved: exactly one read-only
/// statement (SELECT, or WITH ... SELECT), placeholders and declared parameters that match, each
/// placeholder in the query's code (never in a comment or quotes, see <see cref="QueryRenderer"/>), and
/// well-formed fields. Whether the query compiles against the real tables is the engine's answer
/// (<see cref="SoxAuto.Core.Engines.QueryPlanner"/>), asked afterwards.
/// </summary>
public static partial class IpeValidation
{
    /// <summary>Reserved words of Trino that start or belong to statements other than a query. As
    /// reserved words they cannot be column names unless quoted, so meeting one unquoted is a refusal.</summary>
    private static readonly HashSet<string> ForbiddenAnywhere = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "DELETE", "CREATE", "DROP", "ALTER", "INTO", "PREPARE", "EXECUTE", "DEALLOCATE", "DESCRIBE",
    };

    /// <summary>Statement keywords that are not reserved (so may be column names), refused where a statement starts.</summary>
    private static readonly HashSet<string> ForbiddenStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "UPDATE", "MERGE", "UNLOAD", "TRUNCATE", "GRANT", "REVOKE", "DENY", "CALL", "SET", "RESET", "USE", "SHOW",
        "EXPLAIN", "MSCK", "REFRESH", "VACUUM", "OPTIMIZE", "ANALYZE", "COMMENT", "START", "COMMIT", "ROLLBACK",
        "VALUES", "TABLE",
    };

    public static IReadOnlyList<SqlProblem> Validate(IpeDefinition ipe)
    {
        var problems = Missing(ipe);
        if (problems.Count > 0) return problems;
        Fields(ipe, problems);
        Parameters(ipe, problems);
        problems.AddRange(ValidateSql(ipe.Sql, ipe.Parameters.Select(p => p.Name).ToList()));
        return problems;
    }

    /// <summary>The SQL rules alone, given the declared parameter names (period names are always declared).</summary>
    public static IReadOnlyList<SqlProblem> ValidateSql(string sql, IReadOnlyList<string> declared)
    {
        var problems = new List<SqlProblem>();
        if (string.IsNullOrWhiteSpace(sql))
            return [new("The SQL is empty: an IPE is one SELECT query.")];
        var all = SqlTokenizer.Tokenize(sql, problems);
        var code = all.Where(t => t.Kind != SqlTokenKind.Comment).ToList();
        if (code.Count == 0)
            return [.. problems, new("The SQL has only comments: an IPE is one SELECT query.")];

        Statements(sql, code, problems);
        Placeholders(sql, all, declared, problems);
        return problems;
    }

    private static void Statements(string sql, List<SqlToken> code, List<SqlProblem> problems)
    {
        // One statement: a semicolon may only end the text.
        var semicolon = code.FindIndex(t => t.Kind == SqlTokenKind.Semicolon);
        if (semicolon >= 0 && semicolon < code.Count - 1)
        {
            var next = code[semicolon + 1];
            problems.Add(SqlProblem.At(sql, next.Offset,
                $"A second statement starts here ('{Excerpt(next.Text)}' after a semicolon): an IPE is exactly one query."));
        }
        var body = semicolon >= 0 ? code[..semicolon] : code;
        if (body.Count == 0)
        {
            problems.Add(new("The SQL contains no query before its semicolon."));
            return;
        }

        // It must be a query: SELECT, (SELECT ...), or WITH name AS (...) [, ...] SELECT.
        var main = MainStatementStart(body);
        if (main is not null && !(main.Kind == SqlTokenKind.Word && main.Text.Equals("SELECT", StringComparison.OrdinalIgnoreCase)))
        {
            var what = main.Kind == SqlTokenKind.Word ? main.Text.ToUpperInvariant() : $"'{main.Text}'";
            problems.Add(SqlProblem.At(sql, main.Offset, ForbiddenAnywhere.Contains(main.Text) || ForbiddenStatements.Contains(main.Text)
                ? $"{what} is not allowed: an IPE is one read-only query (SELECT, or WITH ... SELECT); no DDL, DML, UNLOAD or CREATE TABLE AS."
                : $"An IPE starts with SELECT or WITH ... SELECT, not {what}."));
        }

        int depth = 0;
        foreach (var t in body)
        {
            if (t.Kind == SqlTokenKind.OpenParen) depth++;
            else if (t.Kind == SqlTokenKind.CloseParen) depth--;
            else if (t.Kind == SqlTokenKind.Word && ForbiddenAnywhere.Contains(t.Text) && t != main)
                problems.Add(SqlProblem.At(sql, t.Offset,
                    $"{t.Text.ToUpperInvariant()} is not allowed in an IPE: it is one read-only query (no DDL, DML, SELECT INTO or CREATE TABLE AS). Quote it (\"{t.Text}\") if it is a column name."));
            if (depth < 0)
            {
                problems.Add(SqlProblem.At(sql, t.Offset, "This ')' has no matching '('."));
                depth = 0;
            }
        }
    }

    /// <summary>The token where the main statement starts: the first, or the one after WITH's list of
    /// named subqueries. Leading parentheses are stepped over (<c>(SELECT ...) UNION ...</c>).</summary>
    private static SqlToken? MainStatementStart(List<SqlToken> body)
    {
        int i = 0;
        while (i < body.Count && body[i].Kind == SqlTokenKind.OpenParen) i++;
        if (i >= body.Count) return body[^1];
        if (!body[i].Text.Equals("WITH", StringComparison.OrdinalIgnoreCase)) return body[i];
        i++;
        if (i < body.Count && body[i].Text.Equals("RECURSIVE", StringComparison.OrdinalIgnoreCase)) i++;
        while (i < body.Count)
        {
            i++; // the name
            if (i < body.Count && body[i].Kind == SqlTokenKind.OpenParen) i = AfterGroup(body, i); // column list
            if (i < body.Count && body[i].Text.Equals("AS", StringComparison.OrdinalIgnoreCase)) i++;
            if (i < body.Count && body[i].Kind == SqlTokenKind.OpenParen) i = AfterGroup(body, i);
            else return i < body.Count ? body[i] : null;
            if (i < body.Count && body[i].Kind == SqlTokenKind.Comma) { i++; continue; }
            break;
        }
        while (i < body.Count && body[i].Kind == SqlTokenKind.OpenParen) i++;
        return i < body.Count ? body[i] : null;
    }

    private static int AfterGroup(List<SqlToken> tokens, int open)
    {
        int depth = 0;
        for (int i = open; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == SqlTokenKind.OpenParen) depth++;
            else if (tokens[i].Kind == SqlTokenKind.CloseParen && --depth == 0) return i + 1;
        }
        return tokens.Count;
    }

    private static void Placeholders(string sql, IReadOnlyList<SqlToken> all, IReadOnlyList<string> declared, List<SqlProblem> problems)
    {
        var known = declared.Concat(ParameterBinder.PeriodNames).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in QueryRenderer.Placeholders(sql, all, problems))
        {
            if (!known.Contains(p.Name))
                problems.Add(SqlProblem.At(sql, p.Offset, $"The placeholder {{{{{p.Name}}}}} is not a declared parameter (declared: {string.Join(", ", known.Order(StringComparer.Ordinal))})."));
            used.Add(p.Name);
        }
        foreach (var name in declared.Where(n => !used.Contains(n)).Distinct())
            problems.Add(new($"The parameter '{name}' is declared but the SQL never uses {{{{{name}}}}}."));
    }

    /// <summary>A definition read from JSON (an import, the form's JSON fields) can hold null where the type
    /// promises a value (<c>"parameters": [null]</c>); each is a problem, and the other rules wait for none.</summary>
    private static List<SqlProblem> Missing(IpeDefinition ipe)
    {
        var c = ipe.Checks;
        var missing = new List<string>();
        void Check(bool isMissing, string what) { if (isMissing) missing.Add(what); }
        Check(ipe.Id is null, "the id");
        Check(ipe.Title is null || ipe.Description is null || ipe.Control is null || ipe.Owner is null, "the title, description, control or owner");
        Check(ipe.Database is null, "the database");
        Check(ipe.Sql is null, "the SQL");
        Check(ipe.GlAccounts is null || ipe.GlAccounts.Any(g => g is null), "a G/L account");
        Check(ipe.Parameters is null || ipe.Parameters.Any(p => p?.Name is null), "a parameter or its name");
        Check(c is null, "the check settings");
        Check(c?.RequiredColumns is null || c.RequiredColumns.Any(x => x is null), "a required column");
        Check(c?.KeyColumns is null || c.KeyColumns.Any(x => x is null), "a key column");
        Check(c?.AmountColumns is null || c.AmountColumns.Any(x => x is null), "an amount column");
        Check(c?.ControlTotalQueries is null || c.ControlTotalQueries.Any(q => q is null), "a control-total query");
        Check(c?.WitnessRecords is null || c.WitnessRecords.Any(w => w?.Key is null || w.Key.Values.Any(v => v is null)), "a witness record or its key");
        Check(ipe.Reconciliation is { } r && (r.AmountColumn is null || r.CompanyColumn is null), "the reconciliation's amount or company column");
        return missing.Select(what => new SqlProblem($"The definition has no value (null) for {what}.")).ToList();
    }

    private static void Fields(IpeDefinition ipe, List<SqlProblem> problems)
    {
        if (!IdPattern().IsMatch(ipe.Id ?? ""))
            problems.Add(new("The id must start with a letter and use only letters, digits and _ (e.g. IPE_13), at most 40 characters."));
        if (string.IsNullOrWhiteSpace(ipe.Title)) problems.Add(new("The title is required."));
        if (string.IsNullOrWhiteSpace(ipe.Control)) problems.Add(new("The control the IPE supports is required (e.g. C-PG-1)."));
        if (string.IsNullOrWhiteSpace(ipe.Database)) problems.Add(new("The Athena database is required."));
        if (ipe.OutputLocation is { } output && !Engines.Athena.S3Location.TryParse(output.Trim(), out _))
            problems.Add(new($"The results location '{output}' must look like s3://bucket/prefix/ (or be empty for the configured one)."));
        foreach (var gl in ipe.GlAccounts.Where(g => !GlPattern().IsMatch(g)))
            problems.Add(new($"G/L account '{gl}' is not a 5-digit account number."));
        foreach (var q in ipe.Checks.ControlTotalQueries)
        {
            if (string.IsNullOrWhiteSpace(q.Name)) problems.Add(new("Every control-total query needs a name."));
            foreach (var p in ValidateSql(q.Sql, ipe.Parameters.Select(p => p.Name).ToList())
                         .Where(p => !p.Message.StartsWith("The parameter '", StringComparison.Ordinal)))
                problems.Add(p with { Message = $"Control-total query '{q.Name}': {p}", Line = null, Column = null });
        }
        foreach (var group in ipe.Checks.ControlTotalQueries.GroupBy(q => q.Name?.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new($"Two control queries are named '{group.Key}': each needs its own name, which its checks carry."));
        foreach (var q in ipe.Checks.ControlTotalQueries.Where(q => q.Sql?.Length > MaxControlSql))
            problems.Add(new($"Control query '{q.Name}' is longer than {MaxControlSql.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters: the Checks sheet could not hold it whole in one cell for an auditor to rerun."));
        foreach (var w in ipe.Checks.WitnessRecords)
        {
            if (w.Key.Count == 0) problems.Add(new($"Witness record '{w.Description}' names no key values."));
            // Only the form matters here (a witness may be chosen for any closed or future period): no "today".
            if (w.Period is not null && !Periods.Period.TryParse(w.Period, DateOnly.MaxValue, out _, out var error))
                problems.Add(new($"Witness record '{w.Description}': its period is not a period. {error}"));
        }
        CompanySelection(ipe, problems);
    }

    /// <summary>A control query's SQL must fit one workbook cell (Excel holds 32,767 characters), with room for the rendered parameters.</summary>
    public const int MaxControlSql = 30_000;

    /// <summary>The company check needs both its column and the list parameter whose values it holds them to.</summary>
    private static void CompanySelection(IpeDefinition ipe, List<SqlProblem> problems)
    {
        var c = ipe.Checks;
        if (c.CompanyParameter is { } name)
        {
            if (c.CompanyColumn is null)
                problems.Add(new($"The company parameter '{name}' is set but no company column: say which column of the result holds the company."));
            if (ipe.Parameters.FirstOrDefault(p => p.Name == name) is not { } parameter)
                problems.Add(new($"The company parameter '{name}' is not a declared parameter."));
            else if (parameter.Type == ParameterType.Date)
                problems.Add(new($"The company parameter '{name}' is a date; it must be a text or text list parameter of company codes."));
        }
    }

    private static void Parameters(IpeDefinition ipe, List<SqlProblem> problems)
    {
        foreach (var group in ipe.Parameters.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add(new($"The parameter '{group.Key}' is declared {group.Count()} times."));
        foreach (var p in ipe.Parameters)
        {
            if (!NamePattern().IsMatch(p.Name ?? ""))
                problems.Add(new($"The parameter name '{p.Name}' must be letters, digits and _, starting with a letter or _."));
            if (ParameterBinder.PeriodNames.Contains(p.Name))
                problems.Add(new($"'{p.Name}' is a period value that always exists; do not declare it."));
            if (p.Pattern is not null)
            {
                try { _ = new Regex(p.Pattern, RegexOptions.None, TimeSpan.FromSeconds(1)); }
                catch (ArgumentException e) { problems.Add(new($"The pattern of parameter '{p.Name}' is not a valid regular expression: {e.Message}")); }
            }
            if (!string.IsNullOrWhiteSpace(p.Default) && !ParameterBinder.PeriodNames.Contains(p.Default))
            {
                try { ParameterBinder.Typed(p, p.Default); }
                catch (ParameterException e) { problems.Add(new($"The default of parameter '{p.Name}' is invalid: {e.Message}")); }
                catch (ArgumentException) { }
            }
        }
    }

    private static string Excerpt(string text) => text.Length <= 30 ? text : text[..30] + "…";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,39}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[0-9]{5}$")]
    private static partial Regex GlPattern();
}
