using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoxAuto.Core;
using SoxAuto.Core.Data;
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

    public async Task<Run> WaitForFinalAsync(int runId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var run = await LoadAsync(runId);
            if (run.IsFinal) return run;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Run {runId} is still {run.State}: {run.Message}");
            await Task.Delay(100);
        }
    }

    public async Task<Run> WaitForStateAsync(int runId, RunState state, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await LoadAsync(runId);
            if (run.State == state) return run;
            if (run.IsFinal || DateTime.UtcNow > until)
                throw new TimeoutException($"Run {runId} did not reach {state}; it is {run.State}: {run.Message}");
            await Task.Delay(20);
        }
    }

    public async Task<Run> LoadAsync(int runId)
    {
        await using var db = await Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.Runs.Include(r => r.Checks).AsNoTracking().FirstAsync(r => r.Id == runId);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(); } catch (ObjectDisposedException) { }
        _host.Dispose();
        if (_ownsFolder) TempDataFolder.DeleteQuietly(DataPath);
    }
}
