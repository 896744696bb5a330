using System.Diagnostics;
using System.Text.Json;

namespace SoxAuto.Tests.Fixtures;

/// <summary>A real, standards-strict OpenID provider (npm oidc-provider, Fixtures/npm/provider.mjs)
/// on a loopback port, standing in for Okta: code flow with PKCE required, PAR, RP-initiated logout,
/// a login page, and people in the groups that SoxAuto maps to roles.</summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "soxauto-tests";
    public const string ClientSecret = "test-only-client-secret";
    public const string Password = "correct horse battery staple";

    public sealed record Person(string Name, string[] Groups);

    /// <summary>The provider's people, by username (their subject). Nora is in no SoxAuto group at all. Ada2
    /// and Alan2 share their names with Ada and Alan: other people, whom SoxAuto must not take for them.</summary>
    public static readonly IReadOnlyDictionary<string, Person> People = new Dictionary<string, Person>
    {
        ["ada"] = new("Ada Auditor", ["Everyone", "sox-auditors"]),
        ["sam"] = new("Sam Auditor", ["Everyone", "sox-auditors"]),
        ["rita"] = new("Rita Reviewer", ["Everyone", "sox-reviewers"]),
        ["casey"] = new("Casey Controller", ["Everyone", "sox-auditors", "sox-reviewers"]),
        ["alan"] = new("Alan Admin", ["Everyone", "sox-admins"]),
        ["beth"] = new("Beth Admin", ["Everyone", "sox-admins"]),
        ["nora"] = new("Nora Nobody", ["Everyone"]),
        ["ada2"] = new("Ada Auditor", ["Everyone", "sox-auditors"]),
        ["alan2"] = new("Alan Admin", ["Everyone", "sox-admins"]),
    };

    private readonly Process _node;

    private OidcProvider(Process node, int port)
    {
        _node = node;
        Issuer = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Issuer { get; }

    /// <summary>The SoxAuto subject of the provider's <paramref name="username"/>: this issuer (as its ID tokens
    /// name it, without a trailing slash) and their subject.</summary>
    public string SubjectOf(string username) => SoxAuto.Core.Access.PersonSubject.Oidc(Issuer.ToString().TrimEnd('/'), username);

    /// <summary>The SoxAuto settings that point at a provider on <paramref name="port"/>.</summary>
    public static Dictionary<string, string?> AppSettings(int port) => new()
    {
        ["SoxAuto:Auth:Oidc:Authority"] = $"http://127.0.0.1:{port}",
        ["SoxAuto:Auth:Oidc:ClientId"] = ClientId,
        ["SoxAuto:Auth:Oidc:ClientSecret"] = ClientSecret,
        ["SoxAuto:Auth:Oidc:RequireHttpsMetadata"] = "false",
        ["SoxAuto:Auth:Oidc:RoleMapping:sox-auditors"] = "Auditor",
        ["SoxAuto:Auth:Oidc:RoleMapping:sox-reviewers"] = "Reviewer",
        ["SoxAuto:Auth:Oidc:RoleMapping:sox-admins"] = "Admin",
    };

    /// <summary>Starts the provider on <paramref name="port"/> for a SoxAuto at <paramref name="app"/>.</summary>
    /// <param name="idTokenLifetime">How long its ID tokens last (one hour unless a test needs them to end during a run).</param>
    public static async Task<OidcProvider> StartAsync(int port, Uri app, TimeSpan? idTokenLifetime = null)
    {
        var script = Path.Combine(NpmFolder.Path, "provider.mjs");
        var modules = Path.Combine(NpmFolder.Path, "node_modules", "oidc-provider");
        if (!Directory.Exists(modules))
            throw new InvalidOperationException($"npm oidc-provider is not installed in {NpmFolder.Path}: run `npm ci` there (./test.sh does).");
        var start = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = NpmFolder.Path,
            // The provider ends when its standard input closes, i.e. when this test process ends, however it ends.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var origin = app.GetLeftPart(UriPartial.Authority);
        start.Environment["OIDC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_PASSWORD"] = Password;
        if (idTokenLifetime is { } life)
            start.Environment["OIDC_ID_TOKEN_TTL"] = ((int)life.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_CLIENT_ID"] = ClientId;
        start.Environment["OIDC_CLIENT_SECRET"] = ClientSecret;
        start.Environment["OIDC_REDIRECT_URIS"] = $"{origin}/signin-oidc";
        start.Environment["OIDC_POST_LOGOUT_REDIRECT_URIS"] = $"{origin}/signout-callback-oidc";
        start.Environment["OIDC_PEOPLE"] = JsonSerializer.Serialize(People.ToDictionary(p => p.Key, p => new { name = p.Value.Name, groups = p.Value.Groups }));

        var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        node.OutputDataReceived += (_, e) => { if (e.Data == "listening") ready.TrySetResult(); };
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        node.EnableRaisingEvents = true;
        node.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The OIDC provider exited: {errors}"));
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        var provider = new OidcProvider(node, port);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
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
