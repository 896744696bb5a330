using SoxAuto.Core.Packages;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- verify FILE</c>: says whether a workbook, extract, package or
/// certificate is evidence SoxAuto produced and of which run, as the Verify page does, and prints one JSON
/// object (kind, sha256, matches, runIds, summary, items). Exit code 0 when it matches a run, 1 when not,
/// 2 for bad arguments.
/// </summary>
public static class VerifyCommand
{
    public const string Verb = "verify";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        if (args.Count != 1)
        {
            await Console.Error.WriteLineAsync("Usage: verify <file: workbook, extract, package or certificate>");
            return 2;
        }
        var path = Path.GetFullPath(args[0]);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"There is no file {path}.");
            return 2;
        }
        await using var app = await VerbHost.StartAsync(hostArgs);
        var result = await app.Services.GetRequiredService<EvidenceVerifier>().VerifyAsync(path, Path.GetFileName(path), VerbHost.Operator());
        VerbHost.Print(result);
        await Console.Error.WriteLineAsync(result.Summary);
        return result.Matches ? 0 : 1;
    }
}
