using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- check-athena</c>: checks the SoxAuto:Athena settings against AWS
/// (who the credentials are, whether the workgroup exists, whether the output location can be read) and
/// prints one PASS or FAIL line per step. Exit code 0 only when every step passed; invalid settings are
/// refused before any step (one paragraph naming the key, exit 1), a malformed command line is 2.
/// </summary>
public static class CheckAthenaCommand
{
    public const string Verb = "check-athena";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var unexpected = command.VerbArgs.FirstOrDefault(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')));
        if (unexpected is not null)
        {
            await Console.Error.WriteLineAsync($"Unexpected argument '{unexpected}'. Usage: check-athena [--SoxAuto:Athena:<key>=<value>]...");
            return 2;
        }
        // Configuration overrides may come before or after the verb.
        var builder = WebApplication.CreateBuilder([.. command.HostArgs, .. command.VerbArgs]);
        builder.Logging.ClearProviders();
        builder.AddSoxAutoCore();
        if (SoxAutoOptions.EngineIn(builder.Configuration) != EngineKind.Athena)
            builder.Services.AddAthenaEngine(); // check the settings before switching the engine over
        await using var app = builder.Build();
        // Invalid settings are a start-up refusal like anywhere else: one paragraph naming the key, exit 1.
        _ = app.Services.GetRequiredService<IOptions<AthenaOptions>>().Value;
        var steps = await app.Services.GetRequiredService<AthenaConnectionCheck>().RunAsync(CancellationToken.None);
        foreach (var step in steps)
            Console.WriteLine($"{(step.Passed ? "PASS" : "FAIL")} {step.Name}: {step.Message}");
        return steps.All(s => s.Passed) ? 0 : 1;
    }
}
