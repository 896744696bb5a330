namespace SoxAuto.Web.Cli;

/// <summary>
/// Every headless verb and what runs it: one table, so a new verb is one line here and the
/// "unknown command" message can never forget one.
/// </summary>
public static class Verbs
{
    static readonly IReadOnlyDictionary<string, Func<CommandLine, Task<int>>> Handlers =
        new Dictionary<string, Func<CommandLine, Task<int>>>(StringComparer.Ordinal)
        {
            [HeadlessCommand.Verb] = HeadlessCommand.RunAsync,
            [ReconcileCommand.Verb] = ReconcileCommand.RunAsync,
            [RunControlCommand.Verb] = RunControlCommand.RunAsync,
            [ReperformCommand.Verb] = ReperformCommand.RunAsync,
            [SampleCommand.Verb] = SampleCommand.RunAsync,
            [RollForwardCommand.Verb] = RollForwardCommand.RunAsync,
            [VerifyAuditCommand.Verb] = VerifyAuditCommand.RunAsync,
            [CheckAthenaCommand.Verb] = CheckAthenaCommand.RunAsync,
            [PackageCommand.Verb] = PackageCommand.RunAsync,
            [VerifyCommand.Verb] = VerifyCommand.RunAsync,
            [TokenCommand.Verb] = TokenCommand.RunAsync,
            [DataFolderCommands.BackupVerb] = DataFolderCommands.BackupAsync,
            [DataFolderCommands.VerifyVerb] = DataFolderCommands.VerifyAsync,
            [ImportCommand.Verb] = ImportCommand.RunAsync,
            [BenchCommand.Verb] = BenchCommand.RunAsync,
        };

    /// <summary>
    /// Runs the command's verb and returns its exit code, or null when there is no verb (serve the web app).
    /// An unknown verb is exit code 2 with the list of verbs.
    /// </summary>
    public static async Task<int?> RunAsync(CommandLine command)
    {
        if (command.Verb is null) return null;
        // The benchmark's child processes use a hidden verb of their own.
        if (BenchCommand.Matches(command)) return await BenchCommand.RunAsync(command);
        if (Handlers.TryGetValue(command.Verb, out var run)) return await run(command);
        await Console.Error.WriteLineAsync(
            $"Unknown command '{command.Verb}'. Commands: {string.Join(", ", Handlers.Keys)}; no command serves the web app.");
        return 2;
    }
}
