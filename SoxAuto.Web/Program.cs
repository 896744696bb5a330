using SoxAuto.Core;
using SoxAuto.Web;
using SoxAuto.Web.Cli;

// A refused start (a bad setting, no sign-in configured) is one paragraph and exit code 1.
return await StartupRefusal.GuardAsync(async () =>
{
    // Headless verbs (e.g. `run IPE_09 --period 2025-09`) use the same services without a web server.
    var exitCode = await Verbs.RunAsync(CommandLine.Parse(args));
    if (exitCode is not null) return exitCode.Value;

    var builder = WebApplication.CreateBuilder(args);
    builder.AddSoxAutoCore();
    builder.AddSoxAutoWeb();

    var app = builder.Build();
    StartupRefusal.CheckSettings(app.Services);
    app.MapSoxAutoWeb();
    await app.RunAsync();
    return 0;
});

public partial class Program;
