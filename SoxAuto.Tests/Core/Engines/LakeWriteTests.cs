using DuckDB.NET.Data;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Core.Engines.EngineTestKit;

namespace SoxAuto.Tests.Core.Engines;

/// <summary>Issue 9, finding 9: on the locked DuckDB connection <c>COPY (SELECT 1) TO '&lt;lake&gt;/process_pg_bob/evil.parquet'</c>
/// succeeded, and the file became a table. Each test has a small lake of its own (with a manifest, as the
/// demo lake has), so nothing it does can touch the shared demo lake.</summary>
public sealed class LakeWriteTests : IDisposable
{
    private readonly TempDataFolder _data;
    private readonly LocalEngine _engine;
    private readonly string _lake;

    public LakeWriteTests()
    {
        var root = Directory.CreateTempSubdirectory("soxauto-lake-write-").FullName;
        _lake = Path.Combine(root, "lake");
        Directory.CreateDirectory(Path.Combine(_lake, "process_pg_bob"));
        Write("SELECT range AS order_id, 'EC_NG' AS company FROM range(3)", Table("orders"));
        Write("SELECT 'EC_NG' AS company, 'NGN' AS currency", Table("companies"));
        LakeManifest.Describe(_lake, 0).Write(_lake);
        _data = new TempDataFolder(_lake);
        _engine = new LocalEngine(_data.Folder);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _data.Dispose();
        TempDataFolder.DeleteQuietly(Path.GetDirectoryName(_lake)!);
    }

    private string Table(string name) => Path.Combine(_lake, "process_pg_bob", name + ".parquet");

    /// <summary>Writes a Parquet file from an unrestricted DuckDB, as someone with a shell would.</summary>
    private static void Write(string select, string file)
    {
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = $"COPY ({select}) TO '{file}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }

    private string[] LakeFiles() =>
        Directory.GetFiles(_lake, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_lake, f)).Order().ToArray();

    [Fact]
    public async Task A_query_can_create_no_file_in_the_lake_neither_on_the_locked_connection_nor_through_the_engine()
    {
        var before = LakeFiles();
        using (var con = LakeConnection.Open(_lake, "process_pg_bob"))
        {
            foreach (var statement in new[]
                     {
                         $"COPY (SELECT 1) TO '{Table("evil")}'",
                         $"COPY (SELECT 1) TO '{Table("orders")}'", // the default: a temporary file beside it, then a rename
                         $"COPY (SELECT 1) TO '{Path.Combine(_lake, "evil.csv")}' (FORMAT csv)",
                         $"COPY (SELECT 1) TO '{Path.Combine(_data.Folder.EngineResults, "evil.csv")}' (FORMAT csv)",
                         $"ATTACH '{Path.Combine(_lake, "process_pg_bob", "evil.duckdb")}'",
                         $"EXPORT DATABASE '{Path.Combine(_lake, "export")}'",
                     })
            {
                using var cmd = con.CreateCommand();
                cmd.CommandText = statement;
                var e = Assert.ThrowsAny<DuckDBException>(() => cmd.ExecuteNonQuery());
                Assert.Contains("Permission Error", e.Message);
            }

            // The views made before the lock still read the lake.
            using var count = con.CreateCommand();
            count.CommandText = "SELECT count(*) FROM orders";
            Assert.Equal(3L, Convert.ToInt64(count.ExecuteScalar()));
        }

        var (_, status) = await RunAsync(_engine, $"COPY (SELECT 1) TO '{Table("evil")}'");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Equal(before, LakeFiles());
        Assert.False(File.Exists(Path.Combine(_data.Folder.EngineResults, "evil.csv")));
        var (_, csv) = await QueryAsync(_engine, "SELECT count(*) AS n FROM orders");
        Assert.Equal("\"n\"\n\"3\"\n", csv);
    }

    [Fact]
    public async Task A_Parquet_file_dropped_into_the_lake_by_hand_is_refused_and_never_becomes_a_table()
    {
        Write("SELECT 'stolen' AS secret", Table("evil"));

        foreach (var sql in new[] { "SELECT * FROM evil", "SELECT count(*) AS n FROM orders" })
        {
            var (_, status) = await RunAsync(_engine, sql);
            Assert.Equal(EngineState.Failed, status.State);
            Assert.StartsWith("The lake does not match its manifest (process_pg_bob/evil.parquet is not in the manifest), so no query runs on it.", status.Reason);
        }

        File.Delete(Table("evil"));
        var (_, csv) = await QueryAsync(_engine, "SELECT count(*) AS n FROM orders");
        Assert.Equal("\"n\"\n\"3\"\n", csv);
    }

    [Fact]
    public async Task A_table_file_rewritten_in_place_or_removed_is_refused()
    {
        // What DuckDB's sandbox cannot stop: a table file is an allowed path, and COPY without a temporary
        // file rewrites it. Only a statement that is not a query does that, which the engine refuses first;
        // should one ever get through, the manifest check refuses the lake from the next query on.
        using (var con = LakeConnection.Open(_lake, "process_pg_bob"))
        using (var cmd = con.CreateCommand())
        {
            cmd.CommandText = $"COPY (SELECT 42 AS order_id, 'EC_NG' AS company) TO '{Table("orders")}' (FORMAT parquet, USE_TMP_FILE false)";
            cmd.ExecuteNonQuery();
        }
        var (_, status) = await RunAsync(_engine, "SELECT count(*) AS n FROM orders");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("process_pg_bob/orders.parquet changed since the manifest was written", status.Reason);

        File.Delete(Table("orders"));
        (_, status) = await RunAsync(_engine, "SELECT count(*) AS n FROM companies");
        Assert.Equal(EngineState.Failed, status.State);
        Assert.Contains("process_pg_bob/orders.parquet is missing", status.Reason);
    }
}
