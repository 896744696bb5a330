using System.Text.Json;
using DuckDB.NET.Data;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The reperform verb as an operator starts it, on a copy of the demo lake that the test then alters.</summary>
public sealed class HeadlessReperformTests
{
    [Fact]
    public async Task Reperform_exits_0_with_match_on_the_same_data_and_3_with_the_changed_and_removed_rows_once_the_table_was_altered()
    {
        using var data = new TempDataFolder();
        // A copy of the demo lake without its manifest: a lake of one's own Parquet files, which may change.
        var lake = Path.Combine(data.Folder.Root, "own-lake");
        CopyLake(SharedLake.Path, lake);
        var settings = new Dictionary<string, string?> { ["SoxAuto:LakePath"] = lake };
        Run original;
        await using (var app = await CoreHost.StartAsync(data.Folder.Root, settings))
        {
            var requested = await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
            original = await app.WaitForFinalAsync(requested.Id);
            Assert.Equal(RunState.Succeeded, original.State);
        }

        var (exit, stdout, stderr) = await ReperformAsync(data, lake, original.Id);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.True(json.RootElement.GetProperty("match").GetBoolean());
            Assert.Equal(original.ExtractSha256, json.RootElement.GetProperty("sha256").GetProperty("reperformed").GetString());
        }

        // One order's amount is changed and another order is deleted, in the table the IPE reads.
        var (changed, removed, amount) = TwoOrdersOf(data.Folder.Absolute(original.ExtractPath!));
        Rewrite(Path.Combine(lake, "process_pg_bob", "pg_bob_sales_order.parquet"),
            $"SELECT * REPLACE (CAST(CASE WHEN order_id = {changed} THEN total_amount + 1 ELSE total_amount END AS DECIMAL(18,2)) AS total_amount) FROM read_parquet('{{0}}') WHERE order_id <> {removed}");

        (exit, stdout, stderr) = await ReperformAsync(data, lake, original.Id);
        Assert.True(exit == 3, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.False(root.GetProperty("match").GetBoolean());
            Assert.Equal("Succeeded", root.GetProperty("status").GetString());
            Assert.Equal((0, 1, 1), (root.GetProperty("addedRows").GetInt64(), root.GetProperty("removedRows").GetInt64(), root.GetProperty("changedRows").GetInt64()));
            Assert.False(root.GetProperty("rows").GetProperty("same").GetBoolean());
            var total = root.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("column").GetString() == "total_amount");
            Assert.False(total.GetProperty("same").GetBoolean());
            Assert.Equal(1m - amount.Removed, decimal.Parse(total.GetProperty("difference").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            var differences = root.GetProperty("differences").EnumerateArray().ToList();
            var change = differences.Single(d => d.GetProperty("change").GetString() == "Changed");
            Assert.Equal(changed.ToString(System.Globalization.CultureInfo.InvariantCulture), change.GetProperty("key").GetString());
            Assert.Equal(FormattableString.Invariant($"total_amount: {amount.Changed:0.00} → {amount.Changed + 1:0.00}"), change.GetProperty("detail").GetString());
            var gone = differences.Single(d => d.GetProperty("change").GetString() == "Removed");
            Assert.Equal(removed.ToString(System.Globalization.CultureInfo.InvariantCulture), gone.GetProperty("key").GetString());
            Assert.Contains("as they are now", root.GetProperty("dataRead").GetString());
        }
    }

    [Fact]
    public async Task Reperforming_a_run_that_does_not_exist_exits_1_and_a_malformed_command_exits_2()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "reperform", "41");
        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        Assert.Contains("There is no run 41.", stderr);
        Assert.Equal("", stdout.Trim());

        (exit, _, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "reperform", "forty-one");
        Assert.Equal(2, exit);
        Assert.Contains("Usage: reperform <run id>", stderr);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> ReperformAsync(TempDataFolder data, string lake, int runId) =>
        ChildProcess.RunAsync("dotnet", [ChildProcess.WebDll, "reperform", runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"--SoxAuto:DataPath={data.Folder.Root}", $"--SoxAuto:LakePath={lake}"], data.Folder.Root, timeout: TimeSpan.FromMinutes(3));

    /// <summary>The first two orders of the extract: their ids, and their amounts.</summary>
    private static (long Changed, long Removed, (decimal Changed, decimal Removed) Amount) TwoOrdersOf(string extract)
    {
        using var file = File.OpenRead(extract);
        var reader = new AthenaCsvReader(file);
        var header = reader.ReadHeaderAsync(default).AsTask().Result;
        int id = Array.IndexOf(header, "order_id"), amount = Array.IndexOf(header, "total_amount");
        var orders = new List<(long, decimal)>();
        while (orders.Count < 2 && reader.ReadRowAsync(default).AsTask().Result)
            orders.Add((long.Parse(reader.Text(id)!, System.Globalization.CultureInfo.InvariantCulture),
                decimal.Parse(reader.Text(amount)!, System.Globalization.CultureInfo.InvariantCulture)));
        return (orders[0].Item1, orders[1].Item1, (orders[0].Item2, orders[1].Item2));
    }

    private static void CopyLake(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*.parquet", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Rewrites a Parquet file with DuckDB: <paramref name="select"/> reads the old file as {0}.</summary>
    private static void Rewrite(string file, string select)
    {
        var old = file + ".old";
        File.Move(file, old);
        using var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = $"COPY ({string.Format(System.Globalization.CultureInfo.InvariantCulture, select, old)}) TO '{file}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
        File.Delete(old);
    }
}
