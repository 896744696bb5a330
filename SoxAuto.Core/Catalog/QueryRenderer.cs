using System.Text.RegularExpressions;

namespace SoxAuto.Core.Catalog;

/// <summary>Replaces each <c>{{name}}</c> placeholder with its value rendered by <see cref="SqlLiteral"/>.</summary>
public static partial class QueryRenderer
{
    public static string Render(string sql, IReadOnlyList<ParameterValue> values)
    {
        var byName = values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var missing = Placeholders(sql).Where(n => !byName.ContainsKey(n)).Distinct().ToList();
        if (missing.Count > 0)
            throw new ParameterException($"The SQL uses undeclared parameter(s): {string.Join(", ", missing)}.");
        return Placeholder().Replace(sql, m => SqlLiteral.Render(byName[m.Groups[1].Value]));
    }

    public static IEnumerable<string> Placeholders(string sql) =>
        Placeholder().Matches(sql).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
