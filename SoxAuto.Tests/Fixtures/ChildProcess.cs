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
        using var process = Start(program, args, workingDirectory, environment);
        return await process.WaitAsync(timeout);
    }

    /// <summary>Starts <paramref name="program"/> and returns it running, for a test that waits for it
    /// later or stops it itself (e.g. with SIGKILL, as a crash would).</summary>
    public static Running Start(string program, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
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
        return new Running(Process.Start(start)!);
    }

    /// <summary>The web app's headless verb (<c>run IPE_09 --period 2025-09</c>, ...) on a data folder and the
    /// shared demo lake, started as an operator would; further <c>--SoxAuto:Key=value</c> settings may follow the verb.</summary>
    public static Running StartHeadless(string dataPath, params string[] args)
    {
        if (!File.Exists(WebDll)) throw new InvalidOperationException($"The web app is not built at {WebDll}");
        // As from a terminal, Ctrl+C (SIGINT) reaches the verb: a test run started in the background
        // (`./test.sh &`, CI) ignores SIGINT, children inherit that, and .NET keeps an inherited ignore.
        return Start("env",
            ["--default-signal=INT", "dotnet", WebDll, .. args, $"--SoxAuto:DataPath={dataPath}", $"--SoxAuto:LakePath={DemoLakeFixture.SharedLakePath}"], dataPath);
    }

    /// <summary><see cref="StartHeadless"/> and wait for it to end.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> HeadlessAsync(string dataPath, params string[] args)
    {
        using var process = StartHeadless(dataPath, args);
        return await process.WaitAsync();
    }

    /// <summary>A started process whose outputs are being read.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        internal Running(Process process)
        {
            _process = process;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public int Id => _process.Id;

        public async Task<(int Exit, string Stdout, string Stderr)> WaitAsync(TimeSpan? timeout = null)
        {
            var limitAfter = timeout ?? TimeSpan.FromMinutes(3);
            using var limit = new CancellationTokenSource(limitAfter);
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // A program that should have ended is still running: stop it rather than leave it behind.
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} did not end within {limitAfter}.");
            }
            return (_process.ExitCode, await _stdout, await _stderr);
        }

        /// <summary>Ends the process at once, without any chance to clean up (SIGKILL on Linux).</summary>
        public async Task KillAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        public void Dispose()
        {
            // A test that failed half-way must not leave its child running.
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.Dispose();
        }
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
