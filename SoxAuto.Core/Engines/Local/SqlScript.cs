using System.Reflection;
using System.Text;

namespace SoxAuto.Core.Engines.Local;

/// <summary>SQL scripts shipped inside the assembly (the Trino macros, the demo lake's generator).</summary>
internal static class SqlScript
{
    /// <summary>The text of every embedded .sql file whose resource name starts with <paramref name="prefix"/>,
    /// in name order.</summary>
    public static IReadOnlyList<(string Name, string Text)> Load(string prefix)
    {
        var asm = typeof(SqlScript).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n, Read(asm, n)))
            .ToList();
    }

    private static string Read(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }

    /// <summary>Splits a script into statements: a statement ends with ';' at the end of a line that is not
    /// a comment. (DuckDB runs a multi-statement command markedly slower than the same statements one by one.)</summary>
    public static IEnumerable<string> Statements(string script)
    {
        var current = new StringBuilder();
        foreach (var line in script.Split('\n'))
        {
            current.Append(line).Append('\n');
            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith(';') && !trimmed.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                yield return current.ToString().TrimEnd().TrimEnd(';');
                current.Clear();
            }
        }
        var rest = current.ToString();
        if (rest.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            yield return rest.Trim();
    }
}
