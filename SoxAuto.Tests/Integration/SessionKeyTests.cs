using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The keys that seal the session cookie live in the database, so a restart (a new container: a
/// new home folder) keeps everyone signed in and every instance on the database opens them; they are
/// protected at rest; keys an earlier version kept in the data folder are taken over.</summary>
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
        Assert.Single(await KeysAsync(data));
        Assert.False(Directory.Exists(Path.Combine(data.Folder.Root, "keys")));
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
        var key = (await KeysAsync(data)).Single().Xml;
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

    [Fact]
    public async Task Keys_an_earlier_version_kept_in_the_data_folder_are_taken_into_the_database_and_used()
    {
        using var before = new TempDataFolder();
        await using (var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = before.Folder.Root }))
            (await app.SignedInClientAsync("ada")).Dispose();
        var key = (await KeysAsync(before)).Single();
        // The data folder as an earlier version left it: the key as a file in keys/, no key in the database.
        using var data = new TempDataFolder();
        Directory.CreateDirectory(Path.Combine(data.Folder.Root, "keys"));
        await File.WriteAllTextAsync(Path.Combine(data.Folder.Root, "keys", key.Name + ".xml"), key.Xml);

        await using (var app = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = data.Folder.Root }))
            (await app.SignedInClientAsync("ada")).Dispose();

        var taken = Assert.Single(await KeysAsync(data));   // the old key, no new one: cookies it sealed still open
        Assert.Equal((key.Name, key.Xml), (taken.Name, taken.Xml));
    }

    /// <summary>The session keys in the data folder's database.</summary>
    private static async Task<List<SessionKey>> KeysAsync(TempDataFolder data)
    {
        await using var db = new SoxAutoDb(new DbContextOptionsBuilder<SoxAutoDb>().UseSqlite($"Data Source={data.Folder.DatabaseFile};Pooling=False").Options);
        return await db.SessionKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync();
    }

    private static Dictionary<string, string?> Home(TempDataFolder home) => new() { ["HOME"] = home.Folder.Root };
}
