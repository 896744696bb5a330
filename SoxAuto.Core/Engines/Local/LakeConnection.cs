using System.Text.Json;
using DuckDB.NET.Data;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// A fresh in-memory DuckDB over the lake, shaped like Athena's catalog: one schema per lake database
/// (folder), one view per table (Parquet file), the Trino macros, and the query's database as the default
/// schema. Then the connection is locked down: it may open the lake's table files and nothing else, may
/// not install or load extensions, and may not change those settings back.
/// DuckDB's sandbox does not tell reading from writing: a directory in <c>allowed_directories</c> can be
/// written to (<c>COPY ... TO '&lt;lake&gt;/db/new.parquet'</c> succeeded, and the file became a table). So
/// the allowed paths are the table files themselves: no file can be created anywhere. What the sandbox
/// still allows, rewriting a table file in place, takes a statement that is not a query (refused by
/// <see cref="EnsureSingleQuery"/>) and would be caught by <see cref="LakeIntegrity"/> at the next query.
/// </summary>
internal static class LakeConnection
{
    /// <summary>Athena's default catalog name, so catalog-qualified names resolve too.</summary>
    private const string Catalog = "awsdatacatalog";

    private static readonly Lazy<IReadOnlyList<string>> TrinoFunctions = new(() =>
        SqlScript.Load("SoxAuto.Core.Engines.Local.TrinoFunctions").SelectMany(s => SqlScript.Statements(s.Text)).ToList());

    public static DuckDBConnection Open(string lake, string database)
    {
        // A private in-memory database (":memory:name" would be shared by the whole process).
        var con = new DuckDBConnection("DataSource=:memory:");
        try
        {
            con.Open();
            Execute(con, "SET autoinstall_known_extensions = false");
            Execute(con, "SET autoload_known_extensions = false");
            Execute(con, $"ATTACH ':memory:' AS {Catalog}");
            // Timestamps with time zone print the same on every machine.
            Execute(con, "SET TimeZone = 'UTC'");
            var databases = Databases(lake);
            LakeIntegrity.Ensure(lake, databases);
            foreach (var (db, tables) in databases)
            {
                Execute(con, $"CREATE SCHEMA {Catalog}.{Ident(db)}");
                foreach (var (table, file) in tables)
                    Execute(con, $"CREATE VIEW {Catalog}.{Ident(db)}.{Ident(table)} AS SELECT * FROM read_parquet({Literal(file)})");
            }
            foreach (var statement in TrinoFunctions.Value)
                Execute(con, statement);

            var schema = databases.Keys.FirstOrDefault(k => string.Equals(k, database, StringComparison.OrdinalIgnoreCase))
                ?? throw new EngineException(
                    $"Database '{database}' does not exist in the local lake. Known databases: {(databases.Count == 0 ? "(none)" : string.Join(", ", databases.Keys))}.");
            Execute(con, $"USE {Catalog}.{Ident(schema)}");

            var files = databases.Values.SelectMany(tables => tables.Values).Select(Literal);
            Execute(con, $"SET allowed_paths = [{string.Join(", ", files)}]");
            Execute(con, "SET enable_external_access = false");
            Execute(con, "SET lock_configuration = true");
            return con;
        }
        catch
        {
            con.Dispose();
            throw;
        }
    }

    /// <summary>Refuses anything but one SELECT (WITH ... SELECT, UNION ...), as an IPE is a query. A SQL
    /// that does not parse is let through, so that DuckDB itself reports the syntax error.</summary>
    public static void EnsureSingleQuery(DuckDBConnection con, string sql)
    {
        using var cmd = con.CreateCommand();
        // A literal, not a parameter: json_serialize_sql needs a VARCHAR it can see while binding.
        cmd.CommandText = $"SELECT json_serialize_sql({Literal(sql)})";
        using var parsed = JsonDocument.Parse((string)cmd.ExecuteScalar()!);
        var root = parsed.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() ?? "" : "";
            if (message.Contains("Only SELECT statements", StringComparison.OrdinalIgnoreCase))
                throw new EngineException("The local engine runs one SELECT query; this SQL contains another kind of statement.");
            return;
        }
        var count = root.GetProperty("statements").GetArrayLength();
        if (count == 0) throw new EngineException("The SQL contains no query.");
        if (count > 1) throw new EngineException($"The SQL contains {count} statements; an IPE is exactly one query.");
    }

    /// <summary>The DuckDB type of each result column, e.g. DECIMAL(18,2). (A streaming reader cannot tell a
    /// decimal's precision and scale before its first row arrives, and an empty result has none.)</summary>
    public static IReadOnlyList<string> DescribeColumnTypes(DuckDBConnection con, string sql)
    {
        using var cmd = con.CreateCommand();
        cmd.CommandText = "DESCRIBE " + sql;
        using var r = cmd.ExecuteReader();
        var types = new List<string>();
        while (r.Read()) types.Add(r.GetString(1));
        return types;
    }

    /// <summary>Lake databases (sub-folders) and their tables (Parquet files), by name.</summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Databases(string lake)
    {
        var result = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (!Directory.Exists(lake)) return result;
        foreach (var dir in Directory.EnumerateDirectories(lake).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            var tables = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in Directory.EnumerateFiles(dir, "*.parquet"))
                tables[Path.GetFileNameWithoutExtension(file)] = Path.GetFullPath(file);
            if (tables.Count > 0) result[Path.GetFileName(dir)] = tables;
        }
        return result;
    }

    public static string Version()
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = "SELECT version()";
        return (string)cmd.ExecuteScalar()!;
    }

    private static void Execute(DuckDBConnection con, string sql)
    {
        using var cmd = con.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
