using System.Text.Json;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// The local engine's results folder, laid out as Athena lays out its S3 output location:
/// <c>&lt;id&gt;.csv</c> and beside it <c>&lt;id&gt;.columns.json</c> (column names and types plus figures).
/// Both are written as <c>.partial</c> and renamed when complete, the CSV first, so an execution is
/// complete exactly when its columns file exists.
/// </summary>
internal sealed class LocalResultFiles(string folder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder { get; } = folder;

    public string Csv(string id) => Path.Combine(Folder, id + ".csv");
    public string Columns(string id) => Path.Combine(Folder, id + ".columns.json");
    public static string Partial(string path) => path + ".partial";

    /// <summary>Execution ids are GUIDs; anything else never becomes a path.</summary>
    public static bool IsExecutionId(string id) => Guid.TryParseExact(id, "D", out _);

    public bool IsComplete(string id) => File.Exists(Columns(id)) && File.Exists(Csv(id));

    public void WriteColumns(string id, ResultSummary summary)
    {
        var partial = Partial(Columns(id));
        using (var s = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(s, summary, Json);
            s.Flush(flushToDisk: true);
        }
        File.Move(partial, Columns(id), overwrite: true);
    }

    public ResultSummary ReadColumns(string id)
    {
        using var s = File.OpenRead(Columns(id));
        return JsonSerializer.Deserialize<ResultSummary>(s, Json)
            ?? throw new EngineException($"The column file of execution {id} is empty.");
    }

    public void DeleteQuietly(string id)
    {
        foreach (var path in new[] { Partial(Csv(id)), Partial(Columns(id)), Csv(id), Columns(id) })
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>What <c>&lt;id&gt;.columns.json</c> holds.</summary>
internal sealed record ResultSummary(
    string ExecutionId,
    string Database,
    IReadOnlyList<ResultColumn> Columns,
    long Rows,
    long EngineExecutionMillis,
    long TotalMillis,
    string EngineVersion,
    DateTimeOffset CompletedAt);
