using SoxAuto.Core;
using SoxAuto.Web;
using SoxAuto.Web.Cli;

// A refused start (a bad setting, no sign-in configured) is one paragraph and exit code 1.
return await StartupRefusal.GuardAsync(async () =>
{
    // Headless verbs (e.g. `run IPE_09 --period 2025-09`) use the same services without a web server.
    var command = CommandLine.Parse(args);
    if (command.Verb == HeadlessCommand.Verb)
        return await HeadlessCommand.RunAsync(command);
    if (command.Verb == ReconcileCommand.Verb)
        return await ReconcileCommand.RunAsync(command);
    if (command.Verb == RunControlCommand.Verb)
        return await RunControlCommand.RunAsync(command);
    if (command.Verb == ReperformCommand.Verb)
        return await ReperformCommand.RunAsync(command);
    if (command.Verb == SampleCommand.Verb)
        return await SampleCommand.RunAsync(command);
    if (command.Verb == RollForwardCommand.Verb)
        return await RollForwardCommand.RunAsync(command);
    if (command.Verb == VerifyAuditCommand.Verb)
        return await VerifyAuditCommand.RunAsync(command);
    if (command.Verb == CheckAthenaCommand.Verb)
        return await CheckAthenaCommand.RunAsync(command);
    if (command.Verb == PackageCommand.Verb)
        return await PackageCommand.RunAsync(command);
    if (command.Verb == VerifyCommand.Verb)
        return await VerifyCommand.RunAsync(command);
    if (command.Verb == DataFolderCommands.BackupVerb)
        return await DataFolderCommands.BackupAsync(command);
    if (command.Verb == DataFolderCommands.VerifyVerb)
        return await DataFolderCommands.VerifyAsync(command);
    if (command.Verb == TokenCommand.Verb)
        return await TokenCommand.RunAsync(command);
    if (command.Verb == ImportCommand.Verb)
        return await ImportCommand.RunAsync(command);
    if (BenchCommand.Matches(command))
        return await BenchCommand.RunAsync(command);
    if (command.Verb is not null)
    {
        await Console.Error.WriteLineAsync($"Unknown command '{command.Verb}'. Commands: {HeadlessCommand.Verb}, {ReconcileCommand.Verb}, {RunControlCommand.Verb}, {ReperformCommand.Verb}, {SampleCommand.Verb}, {RollForwardCommand.Verb}, {VerifyAuditCommand.Verb}, {CheckAthenaCommand.Verb}, {PackageCommand.Verb}, {VerifyCommand.Verb}, {TokenCommand.Verb}, {DataFolderCommands.BackupVerb}, {DataFolderCommands.VerifyVerb}, {ImportCommand.Verb}, {BenchCommand.Verb}; no command serves the web app.");
        return 2;
    }

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
