using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Extract;

namespace SoxAuto.Tests.Core.Engines;

/// <summary>Runs a query on an engine the way RunExecutor does: start, poll until final, read the CSV.</summary>
internal static class EngineTestKit
{
    public static async Task<EngineStatus> WaitForFinalAsync(IQueryEngine engine, string id, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var status = await engine.GetStatusAsync(id, CancellationToken.None);
            if (status.IsFinal) return status;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Execution {id} is still {status.State}.");
            await Task.Delay(20);
        }
    }

    public static async Task<(string Id, EngineStatus Status)> RunAsync(IQueryEngine engine, string sql, string database = "process_pg_bob", string? token = null)
    {
        var id = await engine.StartAsync(new EngineQuery(sql, database, token ?? Guid.NewGuid().ToString()), CancellationToken.None);
        return (id, await WaitForFinalAsync(engine, id));
    }

    public static async Task<byte[]> CsvBytesAsync(IQueryEngine engine, string id)
    {
        await using var result = await engine.OpenResultAsync(id, CancellationToken.None);
        using var copy = new MemoryStream();
        await result.Csv.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Runs a query that must succeed and returns its columns and CSV text.</summary>
    public static async Task<(IReadOnlyList<ResultColumn> Columns, string Csv)> QueryAsync(IQueryEngine engine, string sql, string database = "process_pg_bob")
    {
        var (id, status) = await RunAsync(engine, sql, database);
        Assert.True(status.State == EngineState.Succeeded, $"{status.State}: {status.Reason}");
        await using var result = await engine.OpenResultAsync(id, CancellationToken.None);
        using var reader = new StreamReader(result.Csv, new UTF8Encoding(false));
        return (result.Columns, await reader.ReadToEndAsync());
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
