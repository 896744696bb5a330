using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The keys that seal the session cookie live in the data folder, so a restart (a new
/// container: a new home folder) keeps everyone signed in, and they are protected at rest.</summary>
public sealed class SessionKeyTests
{
    [Fact]
    public async Task A_session_cookie_issued_before_a_restart_in_a_fresh_container_is_accepted_after_it()
    {
        using var data = new TempDataFolder(SharedLake.Path);
        using var firstHome = new TempDataFolder();
        using var secondHome = new TempDataFolder();
        var settings = new Dictionary<string, string> { ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = SharedLake.Path };
        var cookies = new CookieContainer();

        await using (var before = await WebAppProcess.StartAsync("Development", settings, Home(firstHome)))
        {
            using var client = before.Client(cookies);
            await SoxAutoApp.SignInLocallyAsync(client, "ada");
            using var signedIn = await client.GetAsync("/runs");
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            await before.KillAsync();
        }

        // Everything outside the data folder is new, as in a new container.
        await using var after = await WebAppProcess.StartAsync("Development", settings, Home(secondHome));
        using var again = after.Client(cookies);
        using var response = await again.GetAsync("/runs");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}: {after.Output}");
        var keys = Path.Combine(data.Folder.Root, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        if (!OperatingSystem.IsWindows())   // only this account may read them
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
    }

    [Fact]
    public async Task With_a_certificate_configured_the_keys_are_stored_encrypted_and_still_open_after_a_restart()
    {
        using var data = new TempDataFolder();
        using var secrets = new TempDataFolder();
        var pfx = Path.Combine(secrets.Folder.Root, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=SoxAuto data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-only-password"));
        }
        var settings = new Dictionary<string, string?>
        {
            ["SoxAuto:DataPath"] = data.Folder.Root,
            ["SoxAuto:DataProtection:Certificate"] = pfx,
            ["SoxAuto:DataProtection:CertificatePassword"] = "test-only-password",
        };

        Cookie session;
        await using (var before = SoxAutoApp.Start(settings: settings))
        {
            using var ada = await before.SignedInClientAsync("ada");
            session = SoxAutoApp.CookiesOf(ada).GetCookies(before.BaseAddress)["soxauto.session"]!;
        }
        await using var after = SoxAutoApp.Start(settings: settings);
        using var client = after.AnonymousClient();
        SoxAutoApp.CookiesOf(client).Add(after.BaseAddress, new Cookie(session.Name, session.Value));
        using var response = await client.GetAsync("/runs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(data.Folder.Root, "keys"), "key-*.xml").Single());
        Assert.Contains("<encryptedSecret", key);
        Assert.DoesNotContain("the key below is in an unencrypted form", key);
    }

    [Fact]
    public async Task An_unreadable_certificate_refuses_the_start_naming_the_key()
    {
        var (exit, _, stderr) = await ChildProcess.RunWebAppAsync("Development", new Dictionary<string, string>
        {
            ["SoxAuto:DataPath"] = Path.Combine(Path.GetTempPath(), "soxauto-refused-start"),
            ["SoxAuto:DataProtection:Certificate"] = "/nonexistent/keys.pfx",
        });

        Assert.Equal(1, exit);
        Assert.Contains("SoxAuto:DataProtection:Certificate = '/nonexistent/keys.pfx' cannot be read", stderr);
    }

    private static Dictionary<string, string?> Home(TempDataFolder home) => new() { ["HOME"] = home.Folder.Root };
}
