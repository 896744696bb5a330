using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SoxAuto.Core.Data;

namespace SoxAuto.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL server from Debian's <c>postgresql</c> package (./test.sh installs it): a throw-away
/// cluster made with <c>initdb</c> in a temporary folder, started on a free loopback port, and removed
/// afterwards. initdb and postgres refuse to run as root, so under root (as the tests run here) both
/// run as the package's <c>postgres</c> account, which then owns the folder. One server per test class
/// (a class fixture); each test takes a database of its own (<see cref="NewDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "soxauto";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("soxauto-pg-");
    private Process? _server;
    private readonly System.Text.StringBuilder _log = new();
    private int _databases;

    public int Port { get; } = LoopbackPort.Free();

    private string Data => Path.Combine(_root.FullName, "data");

    public async Task InitializeAsync()
    {
        var bin = Binaries();
        if (Environment.IsPrivilegedProcess)
            await MustAsync("chown", ["-R", "postgres:postgres", _root.FullName]);
        var initdb = Unprivileged(Path.Combine(bin, "initdb"));
        await MustAsync(initdb.Program, [.. initdb.Args, "-D", Data, "-U", User, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);

        var (program, prefix) = Unprivileged(Path.Combine(bin, "postgres"));
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[.. prefix, "-D", Data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1",
                     "-k", _root.FullName, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"])
            start.ArgumentList.Add(a);
        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await RunWaits.UntilAsync(async () =>
        {
            if (_server.HasExited) throw new InvalidOperationException($"postgres exited with {_server.ExitCode}: {Log}");
            try
            {
                await using var c = new NpgsqlConnection(ConnectionString("postgres"));
                await c.OpenAsync();
                return true;
            }
            catch (NpgsqlException) { return false; }
        }, "PostgreSQL accepting connections", TimeSpan.FromMinutes(1));
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Timeout=30;Command Timeout=60";

    /// <summary>A new, empty database on this server; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"soxauto_{Interlocked.Increment(ref _databases)}";
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Settings that put an app or a verb on <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string> Settings(string connectionString) => new()
    {
        ["SoxAuto:Database:Provider"] = "PostgreSql",
        ["SoxAuto:Database:ConnectionString"] = connectionString,
    };

    /// <summary>SoxAuto's database on <paramref name="connectionString"/>, for a test that reads or prepares it
    /// directly (as TestDatabase does for SQLite); it is neither created nor migrated here.</summary>
    public static ServiceProvider Database(string connectionString) => new ServiceCollection()
        .AddLogging()
        .AddDbContextFactory<SoxAutoDb>(o => o.UseNpgsql(connectionString, n => n.MigrationsAssembly(DatabaseOptions.PostgreSqlMigrations)))
        .BuildServiceProvider();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is { HasExited: false })
        {
            // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops.
            await ChildProcess.RunAsync("kill", ["-INT", _server.Id.ToString(CultureInfo.InvariantCulture)]);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _server.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException) { _server.Kill(entireProcessTree: true); }
        }
        _server?.Dispose();
        TempDataFolder.DeleteQuietly(_root.FullName);
    }

    /// <summary>The newest installed version's programs.</summary>
    private static string Binaries() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
        ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): install Debian's postgresql package, as ./test.sh does.");

    /// <summary>The program, run as <c>postgres</c> when this process is root (setpriv execs it: the same process id).</summary>
    private static (string Program, string[] Args) Unprivileged(string program) => Environment.IsPrivilegedProcess
        ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", program])
        : (program, []);

    private static async Task MustAsync(string program, string[] args)
    {
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(program, args, Path.GetTempPath(), timeout: TimeSpan.FromMinutes(2));
        if (exit != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({exit}): {stdout}{stderr}");
    }
}
