using SoxAuto.Core;
using SoxAuto.Web;
using SoxAuto.Web.Cli;

// Headless verbs (e.g. `run IPE_09 --period 2025-09`) use the same services without a web server.
if (HeadlessCommand.Matches(args))
    return await HeadlessCommand.RunAsync(args);
if (CheckAthenaCommand.Matches(args))
    return await CheckAthenaCommand.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddSoxAutoCore();
builder.AddSoxAutoWeb();

var app = builder.Build();
app.MapSoxAutoWeb();
app.Run();
return 0;

public partial class Program;
