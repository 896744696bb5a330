using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MimeKit;

namespace SoxAuto.Tests.Fixtures;

/// <summary>A real SMTP server (npm smtp-server, Fixtures/npm/smtp.mjs) on a loopback port: it accepts every
/// message (after AUTH when started with a user) and hands it to the test as received, parsed with MimeKit.</summary>
public sealed class SmtpServer : IAsyncDisposable
{
    public const string User = "soxauto-mail";
    public const string Password = "test-only-smtp-password";

    public sealed record Received(string From, IReadOnlyList<string> To, string? User, MimeMessage Message);

    private readonly Process _node;
    private readonly ConcurrentQueue<Received> _received = new();

    private SmtpServer(Process node, int port)
    {
        _node = node;
        Port = port;
    }

    public int Port { get; }
    public IReadOnlyList<Received> Messages => [.. _received];

    /// <summary>The SoxAuto settings that send e-mail through this server, signing in.</summary>
    public Dictionary<string, string?> Settings(string to) => new()
    {
        ["SoxAuto:Notifications:Email:Host"] = "127.0.0.1",
        ["SoxAuto:Notifications:Email:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SoxAuto:Notifications:Email:Security"] = "None",
        ["SoxAuto:Notifications:Email:User"] = User,
        ["SoxAuto:Notifications:Email:Password"] = Password,
        ["SoxAuto:Notifications:Email:From"] = "SoxAuto <soxauto@example.com>",
        ["SoxAuto:Notifications:Email:To:RunFailed"] = to,
        ["SoxAuto:Notifications:Email:To:RunAwaitingReview"] = to,
    };

    /// <summary>Starts the server on <paramref name="port"/>, or on a free port.</summary>
    public static async Task<SmtpServer> StartAsync(int? port = null)
    {
        port ??= LoopbackPort.Free();
        if (!Directory.Exists(Path.Combine(NpmFolder.Path, "node_modules", "smtp-server")))
            throw new InvalidOperationException($"npm smtp-server is not installed in {NpmFolder.Path}: run `npm ci` there (./test.sh does).");
        var start = new ProcessStartInfo("node", [Path.Combine(NpmFolder.Path, "smtp.mjs"), port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = NpmFolder.Path,
            RedirectStandardInput = true,   // the server ends when this test process ends, however it ends
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SMTP_USER"] = User;
        start.Environment["SMTP_PASSWORD"] = Password;
        var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var server = new SmtpServer(node, port.Value);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "listening") ready.TrySetResult();
            else if (e.Data is { Length: > 0 } line) server.Add(line);
        };
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        node.EnableRaisingEvents = true;
        node.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The SMTP server exited: {errors}"));
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void Add(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root.GetProperty("data").GetString()!));
        _received.Enqueue(new Received(
            root.GetProperty("from").GetString()!,
            [.. root.GetProperty("to").EnumerateArray().Select(t => t.GetString()!)],
            root.GetProperty("user").GetString(),
            MimeMessage.Load(data)));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_node.HasExited)
            {
                _node.Kill(entireProcessTree: true);
                await _node.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _node.Dispose();
    }
}
