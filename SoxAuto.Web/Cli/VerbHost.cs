using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>The Core services on the data folder, without a web server or the worker: every headless verb
/// starts here, and executes its own runs if it has any. A refused setting stops here as for the web app
/// (<see cref="StartupRefusal"/>).</summary>
public static class VerbHost
{
    /// <param name="prepare">Verbs that run IPEs prepare the data folder as the web app does (<see cref="StartupTasks"/>:
    /// migrations, seed catalog, demo lake, runs left by a crash); verbs that only read evidence just migrate.</param>
    public static async Task<WebApplication> StartAsync(IEnumerable<string> hostArgs, bool prepare = false)
    {
        var builder = WebApplication.CreateBuilder([.. hostArgs]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.AddSoxAutoCore();
        var app = builder.Build();
        try
        {
            StartupRefusal.CheckSettings(app.Services);
            if (prepare)
                await app.Services.GetRequiredService<StartupTasks>().PrepareAsync(CancellationToken.None);
            else
            {
                await using var db = await app.Services.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
                await db.MigrateOnceAsync();
            }
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The operating-system account that started the verb. It can read the whole data folder
    /// anyway, so it sees every run; what it does is recorded under this name.</summary>
    public static Actor Operator() => Actor.Service($"cli:{Environment.UserName}", "cli", seesEveryRun: true);

    /// <summary>Splits verb arguments into configuration overrides (--SoxAuto:DataPath=/x) and the rest.</summary>
    public static (List<string> HostArgs, List<string> VerbArgs) Split(CommandLine command)
    {
        var host = command.HostArgs.ToList();
        var rest = new List<string>();
        foreach (var a in command.VerbArgs)
            (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=') ? host : rest).Add(a);
        return (host, rest);
    }

    public static void Print(object output) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
}
