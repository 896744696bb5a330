using System.Globalization;
using DuckDB.NET.Data;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Core.Periods;
using SoxAuto.Tests.Core.Engines;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Catalog;

/// <summary>Runs the seed IPEs, and their control queries, on the local engine over the shared demo lake, and
/// reads chosen columns of their results as text (DuckDB only splits the CSV; figures are added in C# decimals).</summary>
internal sealed class SeedRunner : IDisposable
{
    private readonly TempDataFolder _data = DemoLakeFixture.NewDataFolder();

    public SeedRunner() => Engine = new LocalEngine(_data.Folder);

    public LocalEngine Engine { get; }

    public static Period Month(string text) => Period.Parse(text, new DateOnly(2026, 1, 15));

    public static IpeDefinition Ipe(string id) => SeedCatalog.All.Single(i => i.Id == id);

    public void Dispose()
    {
        Engine.Dispose();
        _data.Dispose();
    }

    /// <summary>Runs <paramref name="sql"/> (the IPE's own SQL when null) bound like the IPE for the period.</summary>
    public async Task<(string Id, EngineStatus Status)> RunAsync(string ipeId, Period period, IReadOnlyDictionary<string, string>? supplied = null, string? sql = null)
    {
        var ipe = Ipe(ipeId);
        var rendered = QueryRenderer.Render(sql ?? ipe.Sql, ParameterBinder.Bind(ipe, period, supplied));
        return await EngineTestKit.RunAsync(Engine, rendered, ipe.Database);
    }

    /// <summary>Runs the IPE (or <paramref name="sql"/>) and fails the test unless it succeeds; returns the result file.</summary>
    public async Task<string> ResultAsync(string ipeId, Period period, IReadOnlyDictionary<string, string>? supplied = null, string? sql = null)
    {
        var (id, status) = await RunAsync(ipeId, period, supplied, sql);
        Assert.True(status.State == EngineState.Succeeded, $"{ipeId}: {status.State}: {status.Reason}");
        return ResultPath(id);
    }

    public string ResultPath(string executionId) => Path.Combine(_data.Folder.EngineResults, executionId + ".csv");

    /// <summary>The header of a result file.</summary>
    public static IReadOnlyList<string> Columns(string csv)
    {
        using var con = Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {ReadCsv(csv)} LIMIT 0";
        using var r = cmd.ExecuteReader();
        return Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToList();
    }

    /// <summary>The values of <paramref name="columns"/>, row by row, as the CSV holds them (NULL as null).</summary>
    public static IEnumerable<string?[]> Rows(string csv, params string[] columns)
    {
        using var con = Open();
        using var cmd = con.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM {ReadCsv(csv)}";
        using var r = cmd.ExecuteReader();
        while (r.Read())
            yield return Enumerable.Range(0, columns.Length).Select(i => r.IsDBNull(i) ? null : r.GetString(i)).ToArray();
    }

    public static decimal Number(string? text) => decimal.Parse(text!, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string ReadCsv(string csv) =>
        $"read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')";

    private static DuckDBConnection Open()
    {
        var con = new DuckDBConnection("DataSource=:memory:");
        con.Open();
        return con;
    }
}
