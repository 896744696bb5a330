using SoxAuto.Core.Procedures.RollForward;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- rollforward RUN_ID</c>: compares the run's stored extract with the same
/// IPE's latest succeeded run for the prior period and prints one JSON object (the prior run or why there is none,
/// new and removed keys, the movement by G/L account and by company). Exit code 0 when compared; 3 when there is
/// no prior run to compare with; 1 when refused (no such run, not a succeeded IPE run, an altered extract); 2 for
/// a malformed command line.
/// </summary>
public static class RollForwardCommand
{
    public const string Verb = "rollforward";
    public const int NoPrior = 3;

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        if (args.Count != 1 || !int.TryParse(args[0], out var runId))
        {
            await Console.Error.WriteLineAsync("Usage: rollforward <run id>");
            return 2;
        }
        await using var app = await VerbHost.StartAsync(hostArgs);
        RollForward? result;
        try
        {
            result = await app.Services.GetRequiredService<RollForwards>().OfAsync(runId, VerbHost.Operator(), $"cli rollforward {runId}");
        }
        catch (Exception e) when (e is RollForwardException or SoxAuto.Core.Evidence.Store.EvidenceStoreException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        if (result is null)
        {
            await Console.Error.WriteLineAsync($"There is no run {runId}.");
            return 1;
        }
        VerbHost.Print(result);
        if (result.NoPrior is not null) await Console.Error.WriteLineAsync(result.NoPrior);
        return result.PriorRunId is null ? NoPrior : 0;
    }
}
