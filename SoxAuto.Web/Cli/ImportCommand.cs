using SoxAuto.Core.Catalog;
using SoxAuto.Core.Runs;

namespace SoxAuto.Web.Cli;

/// <summary>
/// <c>dotnet run --project SoxAuto.Web -- import FILE</c>: imports a SoxAuto catalog file or the earlier tool's IPE
/// configuration as drafts, exactly as the admin page's import does, and prints the report as one JSON object
/// (file, ok, drafts, unchanged, skipped, problems). Exit code 0 when imported, 1 when the file was refused
/// (nothing created), 2 for bad arguments.
/// </summary>
public static class ImportCommand
{
    public const string Verb = "import";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        if (args.Count != 1)
        {
            await Console.Error.WriteLineAsync("Usage: import <file.json: a SoxAuto catalog export or the earlier tool's IPE configuration>");
            return 2;
        }
        var path = Path.GetFullPath(args[0]);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"There is no file {path}.");
            return 2;
        }
        // The catalog is seeded and the lake ready, so imported IPEs are checked and compared as on the page.
        await using var app = await VerbHost.StartAsync(hostArgs, prepare: true);
        // The operating-system account may act as an admin here: it can write the data folder anyway, and an
        // import only creates drafts, which a signed-in admin other than this account must approve.
        var actor = VerbHost.Operator() with { IsAdmin = true };
        await using var file = File.OpenRead(path);
        var report = await app.Services.GetRequiredService<CatalogTransfer>().ImportAsync(file, Path.GetFileName(path), actor);
        VerbHost.Print(new
        {
            file = path,
            ok = report.Ok,
            drafts = report.Drafts.Select(d => new { ipe = d.IpeId, version = d.Number }),
            unchanged = report.Unchanged,
            skipped = report.Skipped.Select(s => new { ipe = s.IpeId, line = s.Line, reason = s.Reason }),
            problems = report.Problems,
        });
        foreach (var problem in report.Problems) await Console.Error.WriteLineAsync(problem);
        await Console.Error.WriteLineAsync(report.Ok
            ? $"{report.Drafts.Count} draft(s) await another admin's approval; {report.Unchanged.Count} unchanged; {report.Skipped.Count} skipped."
            : $"Nothing was imported: {report.Problems.Count} problem(s) in {Path.GetFileName(path)}.");
        return report.Ok ? 0 : 1;
    }
}
