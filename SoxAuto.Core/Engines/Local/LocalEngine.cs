namespace SoxAuto.Core.Engines.Local;

/// <summary>DuckDB in-process over the demo lake, with Athena's shape.</summary>
public sealed class LocalEngine(DataFolder folder) : IQueryEngine
{
    public string Name => "Local (DuckDB)";
    public Task<string> StartAsync(EngineQuery query, CancellationToken ct) => throw new NotImplementedException(folder.Root);
    public Task<EngineStatus> GetStatusAsync(string executionId, CancellationToken ct) => throw new NotImplementedException();
    public Task StopAsync(string executionId, CancellationToken ct) => throw new NotImplementedException();
    public Task<EngineResult> OpenResultAsync(string executionId, CancellationToken ct) => throw new NotImplementedException();
}
