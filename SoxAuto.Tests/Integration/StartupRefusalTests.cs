using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>A start that SoxAuto refuses, in the real process as an operator starts it: one paragraph
/// naming the key on standard error, exit code 1, no stack trace. For the web app and the headless verb.</summary>
public sealed class StartupRefusalTests
{
    private static readonly string NoLake = Path.Combine(Path.GetTempPath(), "soxauto-no-lake");

    // key, value, what the paragraph must say
    private static readonly (string, string, string)[] CoreSettings =
    [
        ("SoxAuto:WorkerConcurrency", "0", "SoxAuto:WorkerConcurrency must be between 1 and 32"),
        ("SoxAuto:Engine", "Oracle", "SoxAuto:Engine must be Local or Athena"),
        ("SoxAuto:PollInterval", "soon", "'SoxAuto:PollInterval'"),
    ];

    public static TheoryData<string, string, string> BadCoreSettings => Data(CoreSettings);

    public static TheoryData<string, string, string> BadWebSettings =>
        Data([
            .. CoreSettings,
            ("SoxAuto:Auth:CookieLifetime", "forever", "SoxAuto:Auth:CookieLifetime = 'forever' is not a positive time span"),
            ("SoxAuto:Auth:SignInLimit", "0", "SoxAuto:Auth:SignInLimit = '0' is not a number of sign-in requests"),
            ("SoxAuto:ForwardedHeaders:KnownProxies", "proxy.internal", "SoxAuto:ForwardedHeaders:KnownProxies = 'proxy.internal' is not a list of IP addresses"),
            ("SoxAuto:Api:RateLimit", "0", "SoxAuto:Api:RateLimit must be between 1 and 1000000"),
            ("SoxAuto:Api:RateLimitWindow", "00:00:00", "SoxAuto:Api:RateLimitWindow must be between 00:00:01 and 1.00:00:00"),
        ]);

    private static TheoryData<string, string, string> Data(IEnumerable<(string, string, string)> rows)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (key, value, says) in rows) data.Add(key, value, says);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadWebSettings))]
    public async Task The_web_app_refuses_a_bad_setting_with_one_paragraph_naming_it_and_exit_code_1(string key, string value, string says)
    {
        using var data = new TempDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Development",
            new Dictionary<string, string> { [key] = value, ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = NoLake, ["urls"] = "http://127.0.0.1:0" });

        AssertRefused(exit, stdout, stderr, says);
    }

    [Fact]
    public async Task The_web_app_in_Production_without_a_sign_in_refuses_with_exit_code_1_and_no_stack_trace()
    {
        using var data = new TempDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Production",
            new Dictionary<string, string> { ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = NoLake });

        AssertRefused(exit, stdout, stderr, "SoxAuto:Auth:Mode");
    }

    [Theory]
    [MemberData(nameof(BadCoreSettings))]
    public async Task The_headless_run_refuses_a_bad_setting_the_same_way(string key, string value, string says)
    {
        using var data = new TempDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Production",
            new Dictionary<string, string> { [key] = value, ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = NoLake },
            "run", "IPE_09", "--period", "2025-09");

        AssertRefused(exit, stdout, stderr, says);
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_refused_naming_SoxAuto_DataPath()
    {
        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Production",
            new Dictionary<string, string> { ["SoxAuto:DataPath"] = "/proc/soxauto-cannot-be-here", ["SoxAuto:LakePath"] = NoLake },
            "run", "IPE_09", "--period", "2025-09");

        AssertRefused(exit, stdout, stderr, "SoxAuto:DataPath = '/proc/soxauto-cannot-be-here'");
    }

    [Fact]
    public async Task Check_athena_refuses_invalid_Athena_settings_the_same_way_before_any_step()
    {
        using var data = new TempDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Production",
            new Dictionary<string, string> { ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = NoLake, ["SoxAuto:Athena:EncryptionOption"] = "ROT13" },
            "check-athena");

        AssertRefused(exit, stdout, stderr, "SoxAuto:Athena:EncryptionOption must be SSE_S3, SSE_KMS or CSE_KMS.");
        Assert.DoesNotContain("PASS", stdout);
    }

    [Fact]
    public async Task An_address_already_in_use_is_refused_naming_it_and_how_to_choose_another()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Development",
            new Dictionary<string, string> { ["SoxAuto:DataPath"] = data.Folder.Root, ["SoxAuto:LakePath"] = DemoLakeFixture.SharedLakePath, ["urls"] = address });

        AssertRefused(exit, stdout, stderr, $"{address}: address already in use");
        Assert.Contains("--urls", stderr);
    }

    private static void AssertRefused(int exit, string stdout, string stderr, string says)
    {
        var output = stdout + stderr;
        Assert.True(exit == 1, $"exit {exit}: {output}");
        Assert.StartsWith("SoxAuto cannot start: ", stderr.Trim());
        Assert.Contains(says, stderr);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.Single(stderr.Trim().Split('\n'));   // one paragraph
    }
}
