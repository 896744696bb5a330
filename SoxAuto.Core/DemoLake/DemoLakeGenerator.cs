using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Engines.Local;

namespace SoxAuto.Core.DemoLake;

/// <summary>
/// Writes the deterministic synthetic finance data lake (Parquet, one folder per Athena database) if it is
/// missing. It is built in a scratch folder beside the lake and renamed into place only when complete, with
/// its manifest written last, so a crash never leaves half a lake that looks complete.
/// </summary>
public sealed class DemoLakeGenerator(DataFolder folder, ILogger<DemoLakeGenerator>? log = null)
{
    /// <summary>Several generators in one process (tests) must not build the same lake twice at once.</summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly ILogger _log = log ?? NullLogger<DemoLakeGenerator>.Instance;

    /// <summary>Tables of these schemas become Parquet files; the scripts' scratch tables live in "gen".</summary>
    public static IReadOnlyList<string> Databases { get; } = ["process_central_fin_dwh", "process_pg_bob"];

    public async Task EnsureAsync(CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            var lake = folder.Lake;
            var manifest = LakeManifest.TryRead(lake);
            if (manifest is not null && manifest.Fingerprint == LakeManifest.CurrentFingerprint)
                return;
            if (manifest is null && Directory.Exists(lake) && Directory.EnumerateFileSystemEntries(lake).Any())
            {
                // Not ours (no manifest): someone pointed SoxAuto at their own Parquet files. Leave them alone.
                _log.LogInformation("The lake folder {Lake} has no demo-lake manifest; using it as it is.", lake);
                return;
            }
            _log.LogInformation(manifest is null ? "Generating the demo lake in {Lake}" : "Regenerating the demo lake in {Lake} (the generator changed)", lake);
            await Task.Run(() => Generate(lake, ct), ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    private void Generate(string lake, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(lake))!;
        Directory.CreateDirectory(parent);
        var scratch = Path.Combine(parent, $".{Path.GetFileName(lake)}.generating-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var clock = Stopwatch.StartNew();
            Write(scratch, ct);
            var manifest = LakeManifest.Describe(scratch, clock.ElapsedMilliseconds);
            manifest.Write(scratch);
            Publish(scratch, lake);
            _log.LogInformation("Demo lake ready in {Lake}: {Rows:N0} rows in {Millis} ms", lake, manifest.Tables.Sum(t => t.Rows), manifest.GenerationMillis);
        }
        finally
        {
            DeleteQuietly(scratch);
        }
    }

    private static void Write(string target, CancellationToken ct)
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        using var cancel = ct.Register(() => cmd.Cancel());
        void Run(string sql)
        {
            ct.ThrowIfCancellationRequested();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        Run("SET autoinstall_known_extensions = false");
        Run("SET autoload_known_extensions = false");
        Run("SET TimeZone = 'UTC'");
        foreach (var (_, text) in SqlScript.Load("SoxAuto.Core.DemoLake.Sql."))
            foreach (var statement in SqlScript.Statements(text))
                Run(statement);

        foreach (var database in Databases)
        {
            Directory.CreateDirectory(Path.Combine(target, database));
            foreach (var table in Tables(con, database))
            {
                var file = Path.Combine(target, database, table + ".parquet");
                Run($"COPY {database}.{table} TO '{file.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION zstd)");
            }
        }
    }

    private static List<string> Tables(DuckDBConnection con, string database)
    {
        using var cmd = con.CreateCommand();
        cmd.CommandText = "SELECT table_name FROM duckdb_tables() WHERE schema_name = $schema ORDER BY table_name";
        cmd.Parameters.Add(new DuckDBParameter("schema", database));
        using var r = cmd.ExecuteReader();
        var tables = new List<string>();
        while (r.Read()) tables.Add(r.GetString(0));
        return tables;
    }

    /// <summary>Renames the finished lake into place; an outdated lake of ours is moved aside first.</summary>
    private void Publish(string scratch, string lake)
    {
        if (LakeManifest.TryRead(lake)?.Fingerprint == LakeManifest.CurrentFingerprint)
        {
            _log.LogInformation("Another process generated the demo lake in {Lake} first.", lake);
            return;
        }
        string? old = null;
        if (Directory.Exists(lake))
        {
            old = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(lake))!, $".{Path.GetFileName(lake)}.old-{Guid.NewGuid():N}");
            Directory.Move(lake, old);
        }
        try
        {
            Directory.Move(scratch, lake);
        }
        catch (IOException) when (LakeManifest.TryRead(lake)?.Fingerprint == LakeManifest.CurrentFingerprint)
        {
            // Another process published the same lake first; its copy is as good as ours.
            _log.LogInformation("Another process generated the demo lake in {Lake} first.", lake);
        }
        DeleteQuietly(old);
    }

    private static void DeleteQuietly(string? dir)
    {
        try
        {
            if (dir is not null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
