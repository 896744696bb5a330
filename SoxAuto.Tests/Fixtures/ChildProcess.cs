using System.Diagnostics;

namespace SoxAuto.Tests.Fixtures;

/// <summary>Starts a program as a user would (the web app's headless verbs, python3 with boto3) and
/// returns its exit code and both outputs.</summary>
public static class ChildProcess
{
    /// <summary>The web app's own build output, beside the tests' (same configuration and runtime).</summary>
    public static string WebDll { get; } = Path.Combine(
        AppContext.BaseDirectory.Replace("SoxAuto.Tests", "SoxAuto.Web", StringComparison.Ordinal), "SoxAuto.Web.dll");

    /// <summary>Starts the web app's own program as an operator would (`dotnet SoxAuto.Web.dll ...`) in
    /// <paramref name="environment"/>, with <paramref name="settings"/> as `--key=value` arguments after
    /// <paramref name="args"/> (a verb and its arguments, or nothing to serve the web app). For starts that
    /// are expected to end by themselves, such as a refused start.</summary>
    public static Task<(int Exit, string Stdout, string Stderr)> RunWebAppAsync(
        string environment, IReadOnlyDictionary<string, string> settings, params string[] args) =>
        RunAsync("dotnet",
            [WebDll, "--environment", environment, .. args, .. settings.Select(s => $"--{s.Key}={s.Value}")],
            Path.GetTempPath(), new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null },
            TimeSpan.FromMinutes(1));

    /// <summary>Runs <paramref name="program"/>; an environment value of null removes the variable.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // A program that should have ended is still running: stop it rather than leave it behind.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within {timeout ?? TimeSpan.FromMinutes(3)}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Credentials for AWS's default chain from the environment only: no profile, no config
    /// file, no instance metadata, whatever the machine has.</summary>
    public static Dictionary<string, string?> AwsEnvironment(string accessKey, string secretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PROFILE"] = null,
        ["AWS_SESSION_TOKEN"] = null,
    };
}
