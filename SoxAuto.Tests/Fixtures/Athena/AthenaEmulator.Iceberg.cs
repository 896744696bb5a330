using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SoxAuto.Core;
using SoxAuto.Core.Engines.Local;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// Iceberg tables in the emulator, as Athena engine version 3 has them: the catalog reports the Glue table property
/// <c>table_type</c> = <c>ICEBERG</c>; every commit is a snapshot with its time; <c>t FOR TIMESTAMP AS OF TIMESTAMP '...'</c>
/// reads the snapshot current at that time, and fails when there is none yet; on any other table it fails as Trino's
/// Hive connector does (NOT_SUPPORTED), naming the table. The first table made Iceberg gives the emulator a lake of its
/// own (a copy of the demo lake's Parquet files, without the manifest, as a lake that changes has none); each snapshot
/// is a copy of the table's Parquet file in a folder of that lake (<c>&lt;database&gt;__snapshot_&lt;n&gt;</c>), and a query's
/// AS OF reference is rewritten to that copy before DuckDB runs it.
/// </summary>
public sealed partial class AthenaEmulator
{
    private readonly Dictionary<string, List<(DateTimeOffset CommittedAt, string Schema)>> _iceberg = new(StringComparer.OrdinalIgnoreCase);
    private string? _ownLake;

    /// <summary>Every query that read a table FOR TIMESTAMP AS OF, as the emulator resolved it: database.table and the snapshot's time.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Table, DateTimeOffset AsOf, DateTimeOffset Snapshot)> AsOfReads { get; } = new();

    /// <summary>Makes <paramref name="database"/>.<paramref name="table"/> an Iceberg table whose first snapshot, its
    /// data now, is committed at this moment.</summary>
    public void MakeIceberg(string database, string table)
    {
        lock (_iceberg)
        {
            EnsureOwnLake();
            var key = $"{database}.{table}";
            if (_iceberg.ContainsKey(key)) throw new InvalidOperationException($"{key} is already an Iceberg table.");
            _iceberg[key] = [];
            Snapshot(database, table);
        }
    }

    /// <summary>Commits a new version of an Iceberg table, now: <paramref name="select"/> reads the current data as
    /// <c>{0}</c> (a Parquet file) and gives the new data. The earlier snapshots stay readable AS OF their times.</summary>
    public void CommitIcebergVersion(string database, string table, string select)
    {
        lock (_iceberg)
        {
            if (!_iceberg.ContainsKey($"{database}.{table}")) throw new InvalidOperationException($"{database}.{table} is not an Iceberg table.");
            RewriteTable(database, table, select);
            Snapshot(database, table);
        }
    }

    /// <summary>Changes a table that is not Iceberg, as a Hive table's files are replaced: no snapshot is kept.</summary>
    public void ReplaceTableData(string database, string table, string select)
    {
        lock (_iceberg)
        {
            EnsureOwnLake();
            RewriteTable(database, table, select);
        }
    }

    private JsonObject TableParameters(string database, string table)
    {
        lock (_iceberg)
        {
            if (!_iceberg.TryGetValue($"{database}.{table}", out var snapshots))
                return new JsonObject { ["EXTERNAL"] = "TRUE", ["classification"] = "parquet" };
            return new JsonObject
            {
                ["table_type"] = "ICEBERG",
                ["metadata_location"] = $"s3://{S3Server.Bucket}/warehouse/{database}/{table}/metadata/{snapshots.Count:00000}.metadata.json",
            };
        }
    }

    [GeneratedRegex("""(?<name>(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)){0,2})\s+FOR\s+TIMESTAMP\s+AS\s+OF\s+TIMESTAMP\s+'(?<at>[^']*)'""", RegexOptions.IgnoreCase)]
    private static partial Regex AsOf();

    [GeneratedRegex("""
        "(?:[^"]|"")+"|[A-Za-z_][\w$]*
        """)]
    private static partial Regex Identifier();

    /// <summary>The query with each AS OF reference replaced by the snapshot it reads; an <see cref="AthenaError"/> as Athena fails it.</summary>
    private string ReadIcebergAsOf(string sql, string database) => AsOf().Replace(sql, m =>
    {
        var parts = Identifier().Matches(m.Groups["name"].Value).Select(p => p.Value)
            .Select(p => p.StartsWith('"') ? p[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : p.ToLowerInvariant()).ToList();
        var (db, table) = (parts.Count >= 2 ? parts[^2] : database, parts[^1]);
        lock (_iceberg)
        {
            if (!_iceberg.TryGetValue($"{db}.{table}", out var snapshots))
                throw new AthenaError(400, "InvalidRequestException",
                    $"NOT_SUPPORTED: This connector does not support versioned tables: {db}.{table} is not an Iceberg table");
            var at = DateTimeOffset.ParseExact(m.Groups["at"].Value, ["yyyy-MM-dd HH:mm:ss.FFF 'UTC'", "yyyy-MM-dd HH:mm:ss 'UTC'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var current = snapshots.LastOrDefault(s => s.CommittedAt <= at);
            if (current.Schema is null)
                throw new AthenaError(400, "InvalidRequestException", $"INVALID_ARGUMENT: No version history table {db}.{table} at or before {m.Groups["at"].Value}");
            AsOfReads.Enqueue(($"{db}.{table}", at, current.CommittedAt));
            return $"\"{current.Schema}\".\"{table}\"";
        }
    });

    /// <summary>A lake of the emulator's own, so that its tables can change: the demo lake's files, without its manifest.</summary>
    private void EnsureOwnLake()
    {
        if (_ownLake is not null) return;
        var lake = Path.Combine(_data.Folder.Root, "own-lake");
        foreach (var file in Directory.GetFiles(DemoLakeFixture.SharedLakePath, "*.parquet", SearchOption.AllDirectories))
        {
            var target = Path.Combine(lake, Path.GetRelativePath(DemoLakeFixture.SharedLakePath, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        _retired.Add(_local);
        _local = new LocalEngine(new DataFolder(_data.Folder.Root, lake));
        _ownLake = lake;
    }

    private string TableFile(string database, string table) => Path.Combine(_ownLake!, database, table + ".parquet");

    /// <summary>Keeps the table's data now as a snapshot committed now (to the millisecond, as Iceberg records it).</summary>
    private void Snapshot(string database, string table)
    {
        var snapshots = _iceberg[$"{database}.{table}"];
        var schema = $"{database}__snapshot_{table}_{snapshots.Count + 1}";
        Directory.CreateDirectory(Path.Combine(_ownLake!, schema));
        File.Copy(TableFile(database, table), Path.Combine(_ownLake!, schema, table + ".parquet"));
        var now = DateTimeOffset.UtcNow;
        snapshots.Add((now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)), schema));
    }

    private void RewriteTable(string database, string table, string select)
    {
        var file = TableFile(database, table);
        var old = file + ".old";
        File.Move(file, old);
        using (var con = new DuckDBConnection("DataSource=:memory:"))
        {
            con.Open();
            using var cmd = con.CreateCommand();
            cmd.CommandText = $"COPY ({string.Format(CultureInfo.InvariantCulture, select, old)}) TO '{file}' (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }
        File.Delete(old);
    }
}
