using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core;
using SoxAuto.Core.Runs;

namespace SoxAuto.Tests.Fixtures;

/// <summary>SoxAuto's core services without the web server, as the headless verb and the web app
/// host them: a real SQLite file in a fresh data folder, the shared demo lake, the real worker.</summary>
public sealed class CoreHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsFolder;

    private CoreHost(IHost host, string dataPath, bool ownsFolder)
    {
        _host = host;
        DataPath = dataPath;
        _ownsFolder = ownsFolder;
    }

    public string DataPath { get; }
    public IServiceProvider Services => _host.Services;
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Starts on <paramref name="dataPath"/>, or on a fresh temp folder that is deleted on dispose.</summary>
    /// <param name="services">Last-minute service replacements (e.g. fixed AWS credentials for the Athena emulator).</param>
    public static async Task<CoreHost> StartAsync(string? dataPath = null, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = dataPath is null;
        dataPath ??= Directory.CreateTempSubdirectory("soxauto-core-").FullName;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Development",
            ContentRootPath = dataPath,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SoxAuto:DataPath"] = dataPath,
            ["SoxAuto:LakePath"] = SharedLake.Path,
            ["SoxAuto:PollInterval"] = "00:00:00.050",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSoxAutoCore();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new CoreHost(host, dataPath, owns);
    }

    /// <summary>Stops the app the way a restart would; the data folder stays.</summary>
    public async Task StopAsync() => await _host.StopAsync();

    public Task<Run> WaitForFinalAsync(int runId, TimeSpan? timeout = null) => RunWaits.ForFinalAsync(Services, runId, timeout);

    public Task<Run> WaitForStateAsync(int runId, RunState state, TimeSpan? timeout = null) =>
        RunWaits.ForStateAsync(Services, runId, state, timeout);

    public Task<Run> WaitForExecutionAsync(int runId) => RunWaits.ForExecutionAsync(Services, runId);

    public Task<Run> LoadAsync(int runId) => RunWaits.LoadAsync(Services, runId);

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(); } catch (ObjectDisposedException) { }
        _host.Dispose();
        if (_ownsFolder) TempDataFolder.DeleteQuietly(DataPath);
    }
}
