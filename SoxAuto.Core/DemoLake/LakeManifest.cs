using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using SoxAuto.Core.Engines.Local;

namespace SoxAuto.Core.DemoLake;

/// <summary>
/// <c>manifest.json</c> at the lake's root, written last: its presence says the lake is complete. It lists
/// every Parquet file with its row count, size and SHA-256, so anyone can check the data a run read.
/// The fingerprint identifies the generator (its SQL and the DuckDB version); a different one regenerates.
/// </summary>
public sealed record LakeManifest(
    string Generator,
    string Fingerprint,
    string DuckDbVersion,
    DateTimeOffset GeneratedAt,
    long GenerationMillis,
    IReadOnlyList<LakeTableFile> Tables)
{
    public const string FileName = "manifest.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string CurrentFingerprint { get; } = ComputeFingerprint();

    public static LakeManifest? TryRead(string lake)
    {
        var path = Path.Combine(lake, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var s = File.OpenRead(path);
            return JsonSerializer.Deserialize<LakeManifest>(s, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(string lake)
    {
        var path = Path.Combine(lake, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json), new UTF8Encoding(false));
    }

    /// <summary>Describes the Parquet files under <paramref name="lake"/>.</summary>
    public static LakeManifest Describe(string lake, long generationMillis)
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using (var settings = con.CreateCommand())
        {
            settings.CommandText = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false";
            settings.ExecuteNonQuery();
        }
        var tables = new List<LakeTableFile>();
        foreach (var (database, files) in LakeConnection.Databases(lake))
        {
            foreach (var (table, file) in files)
            {
                using var cmd = con.CreateCommand();
                cmd.CommandText = "SELECT count(*) FROM read_parquet($file)";
                cmd.Parameters.Add(new DuckDBParameter("file", file));
                var rows = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                using var s = File.OpenRead(file);
                tables.Add(new LakeTableFile(database, table, $"{database}/{table}.parquet", rows, s.Length, Convert.ToHexStringLower(SHA256.HashData(s))));
            }
        }
        return new LakeManifest("SoxAuto demo lake", CurrentFingerprint, LocalEngine.DuckDbVersion, DateTimeOffset.UtcNow, generationMillis, tables);
    }

    private static string ComputeFingerprint()
    {
        var text = new StringBuilder(LocalEngine.DuckDbVersion).Append('\n');
        foreach (var (name, sql) in SqlScript.Load("SoxAuto.Core.DemoLake.Sql."))
            text.Append(name).Append('\n').Append(sql.ReplaceLineEndings("\n")).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>One table of the lake as a file.</summary>
public sealed record LakeTableFile(string Database, string Table, string File, long Rows, long Bytes, string Sha256);
