using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- check-athena</c>: checks the SoxAuto:Athena settings against AWS
/// (who the credentials are, whether the workgroup exists, whether the output location can be read) and
/// prints one PASS or FAIL line per step. Exit code 0 only when every step passed.
/// </summary>
public static class CheckAthenaCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "check-athena";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args.Skip(1).ToArray());
        builder.Logging.ClearProviders();
        builder.AddSoxAutoCore();
        if (!string.Equals(builder.Configuration["SoxAuto:Engine"], "Athena", StringComparison.OrdinalIgnoreCase))
            builder.Services.AddAthenaEngine(); // check the settings before switching the engine over
        await using var app = builder.Build();
        try
        {
            _ = app.Services.GetRequiredService<IOptions<AthenaOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync(failure);
            return 2;
        }
        var steps = await app.Services.GetRequiredService<AthenaConnectionCheck>().RunAsync(CancellationToken.None);
        foreach (var step in steps)
            Console.WriteLine($"{(step.Passed ? "PASS" : "FAIL")} {step.Name}: {step.Message}");
        return steps.All(s => s.Passed) ? 0 : 1;
    }
}
