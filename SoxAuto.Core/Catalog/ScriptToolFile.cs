using System.Text.Json;

namespace SoxAuto.Core.Catalog;

/// <summary>One IPE in the earlier script-based tool's configuration, with the line it starts on.
/// <see cref="SecretName"/> set means the older SQL Server form (a T-SQL query behind a stored secret).</summary>
public sealed record ScriptToolEntry(int Line, string IpeId, string Query, string? AthenaDatabase, string? AthenaOutput, string? SecretName)
{
    public bool IsSqlServer => SecretName is not null;
}

/// <summary>
/// The earlier tool's IPE configuration: JSON objects with <c>ipe_id</c>, <c>athena_database</c>,
/// <c>athena_s3_output</c> and <c>query</c> (or, in the older SQL Server form, <c>ipe_id</c>, <c>secret_name</c>
/// and <c>query</c>), one object per file or an array of them. Read with line numbers so that every problem
/// points at the entry and key it concerns.
/// </summary>
public static class ScriptToolFile
{
    private static readonly string[] AthenaKeys = ["ipe_id", "athena_database", "athena_s3_output", "query"];
    private static readonly string[] SqlServerKeys = ["ipe_id", "secret_name", "query"];
    private static readonly HashSet<string> Known = [.. AthenaKeys, .. SqlServerKeys];

    /// <summary>An array, or an object carrying one of the tool's keys (a SoxAuto catalog file has <c>format</c>).</summary>
    public static bool Recognises(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array
        || (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("format", out _)
            && root.EnumerateObject().Any(p => Known.Contains(p.Name)));

    /// <summary>The entries, or (in <paramref name="problems"/>) everything wrong with them, each with its line.</summary>
    public static List<ScriptToolEntry> Read(byte[] json, List<string> problems)
    {
        var lines = new LineCounter(json);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var entries = new List<ScriptToolEntry>();
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            for (var n = 1; reader.Read() && reader.TokenType != JsonTokenType.EndArray; n++)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (ReadEntry(ref reader, lines, problems) is { } entry) entries.Add(entry);
                }
                else
                {
                    problems.Add($"Line {lines.At(reader.TokenStartIndex)}: entry number {n} is not an object with ipe_id, athena_database, athena_s3_output and query.");
                    reader.Skip();
                }
            }
        }
        else if (ReadEntry(ref reader, lines, problems) is { } entry)
        {
            entries.Add(entry);
        }
        if (entries.Count == 0 && problems.Count == 0)
            problems.Add("The file contains no IPE entries.");
        foreach (var dup in entries.GroupBy(e => e.IpeId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"Lines {string.Join(", ", dup.Select(e => e.Line))}: ipe_id '{dup.Key}' appears {dup.Count()} times.");
        return entries;
    }

    private static ScriptToolEntry? ReadEntry(ref Utf8JsonReader reader, LineCounter lines, List<string> problems)
    {
        var line = lines.At(reader.TokenStartIndex);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var before = problems.Count;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var keyLine = lines.At(reader.TokenStartIndex);
            reader.Read();
            if (!Known.Contains(key))
                problems.Add($"Line {keyLine}: unknown key '{key}' (the earlier tool's keys are {string.Join(", ", AthenaKeys)}, and secret_name in the SQL Server form).");
            else if (values.ContainsKey(key))
                problems.Add($"Line {keyLine}: '{key}' is given twice in one entry.");
            else if (reader.TokenType is JsonTokenType.String)
                values[key] = reader.GetString();
            else if (reader.TokenType is not JsonTokenType.Null)
                problems.Add($"Line {keyLine}: '{key}' must be text.");
            reader.Skip();
        }
        string? Text(string key) => values.GetValueOrDefault(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v : null;
        var id = Text("ipe_id")?.Trim();
        var query = Text("query");
        var secret = Text("secret_name");
        var named = id is null ? $"Line {line}" : $"Line {line} ({id})";
        if (id is null) problems.Add($"Line {line}: the entry has no ipe_id.");
        if (query is null) problems.Add($"{named}: the entry has no query.");
        if (secret is not null && values.Keys.Any(k => k.StartsWith("athena_", StringComparison.Ordinal)))
            problems.Add($"{named}: the entry mixes the SQL Server form (secret_name) with Athena keys; it must be one or the other.");
        else if (secret is null && Text("athena_database") is null)
            problems.Add($"{named}: the entry has no athena_database (nor secret_name, as an entry in the SQL Server form has).");
        if (problems.Count > before) return null;
        return new ScriptToolEntry(line, id!, query!.ReplaceLineEndings("\n"), Text("athena_database")?.Trim(), Text("athena_s3_output")?.Trim(), secret?.Trim());
    }

    /// <summary>Line numbers from byte offsets, counting forward (the reader only moves forward).</summary>
    private sealed class LineCounter(byte[] json)
    {
        private long _offset;
        private int _line = 1;

        public int At(long offset)
        {
            for (; _offset < offset && _offset < json.Length; _offset++)
                if (json[_offset] == (byte)'\n') _line++;
            return _line;
        }
    }
}
