using SoxAuto.Core.Packages;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- package RUN_ID --out FILE</c>: writes the run's evidence package
/// (the same bytes as the download) and prints one JSON object (runId, file, bytes, signedOff). Exit code 0
/// when written; 1 when the run has no evidence or a stored file no longer matches its record; 2 for bad arguments.
/// </summary>
public static class PackageCommand
{
    public const string Verb = "package";
    private const string Usage = "Usage: package <run id> --out <file.zip>";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        var outAt = args.IndexOf("--out");
        var output = outAt >= 0 && outAt + 1 < args.Count ? args[outAt + 1] : null;
        var rest = outAt >= 0 ? args.Where((_, i) => i != outAt && i != outAt + 1).ToList() : args;
        if (rest.Count != 1 || !int.TryParse(rest[0], out var runId) || output is null)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await using var app = await VerbHost.StartAsync(hostArgs);
        var packages = app.Services.GetRequiredService<EvidencePackages>();
        var who = VerbHost.Operator();
        var contents = await packages.OpenAsync(runId, who, $"cli package {runId}");
        if (contents is null)
        {
            await Console.Error.WriteLineAsync($"Run {runId} has no evidence package: it does not exist or did not succeed.");
            return 1;
        }
        var path = Path.GetFullPath(output);
        var partial = path + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await packages.WriteAsync(contents, file, who, "package.built");
            File.Move(partial, path, overwrite: true);
        }
        catch (EvidenceAlteredException e)
        {
            File.Delete(partial);
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        VerbHost.Print(new { runId, file = path, bytes = new FileInfo(path).Length, signedOff = contents.SignOff?.Decision.ToString() });
        return 0;
    }
}
