namespace SoxAuto.Web.Cli;

/// <summary>`dotnet run --project SoxAuto.Web -- run IPE_09 --period 2025-09`: one run, one JSON object.</summary>
public static class HeadlessCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "run";

    public static Task<int> RunAsync(string[] args) => Task.FromResult(2);
}
