namespace SoxAuto.Web.Cli;

/// <summary>The command line split into the host's own options, which come first (`dotnet run` puts
/// `--environment Development --urls ...` there), and an optional verb with its arguments.</summary>
public sealed record CommandLine(string? Verb, IReadOnlyList<string> HostArgs, IReadOnlyList<string> VerbArgs)
{
    public static CommandLine Parse(string[] args)
    {
        var host = new List<string>();
        int i = 0;
        for (; i < args.Length && args[i].StartsWith("--", StringComparison.Ordinal); i++)
        {
            host.Add(args[i]);
            if (!args[i].Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                host.Add(args[++i]);
        }
        return i < args.Length ? new(args[i], host, args[(i + 1)..]) : new(null, host, []);
    }
}
