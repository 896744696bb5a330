using System.Diagnostics;
using System.Net;
using System.Text;

namespace SoxAuto.Tests.Fixtures;

/// <summary>The web app as its own process, started as an operator starts it (`dotnet SoxAuto.Web.dll`)
/// on a free loopback port: for what only a real process shows, such as an environment variable read
/// by the host, or a restart (a kill) on the same data folder.</summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private WebAppProcess(Process process, StringBuilder output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The process id (a run's owner names the process that executes it).</summary>
    public int Id => _process.Id;

    /// <summary>Everything the process wrote so far (both streams), for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <param name="settings">Configuration as `--key=value` arguments.</param>
    /// <param name="environment">Environment variables; null removes one.</param>
    public static async Task<WebAppProcess> StartAsync(string environmentName, IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ChildProcess.WebDll)!,
        };
        foreach (var a in (string[])[ChildProcess.WebDll, "--environment", environmentName, "--urls", address.ToString().TrimEnd('/')])
            start.ArgumentList.Add(a);
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new WebAppProcess(process, output, address);
        try
        {
            await app.WaitUntilServingAsync(TimeSpan.FromMinutes(3));   // a loaded machine is slow to start it
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HttpClient for this app with <paramref name="cookies"/> (kept across a restart).</summary>
    public HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>Kills the process, as a crash or a container stop would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop with SIGTERM, as systemd or a container runtime does, and waits for
    /// it to end; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        var (exit, _, stderr) = await ChildProcess.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (exit != 0) throw new InvalidOperationException($"kill -TERM failed: {stderr}");
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The web app exited with {_process.ExitCode}: {Output}");
            try
            {
                using var response = await probe.GetAsync("signin");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"The web app did not serve /signin within {timeout}: {Output}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
