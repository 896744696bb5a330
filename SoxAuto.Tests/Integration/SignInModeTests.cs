using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Starting the real app as a process: where the local demo sign-in may and may not exist.
/// A refused start is one paragraph on standard error and exit code 1.</summary>
public sealed class SignInModeTests
{
    // The app stops before it would touch the data folder or a lake.
    private static readonly Dictionary<string, string> NoLake = new()
    {
        ["SoxAuto:DataPath"] = Path.Combine(Path.GetTempPath(), "soxauto-refused-start"),
        ["SoxAuto:LakePath"] = Path.Combine(Path.GetTempPath(), "soxauto-no-lake"),
    };

    [Fact]
    public async Task A_production_start_without_a_sign_in_mode_refuses_with_a_clear_message()
    {
        var (exit, _, stderr) = await ChildProcess.RunWebAppAsync("Production", NoLake);

        Assert.Equal(1, exit);
        Assert.Contains("SoxAuto cannot start: no sign-in is configured", stderr);
        Assert.Contains("SoxAuto:Auth:Mode", stderr);
        Assert.Contains("SoxAuto:Auth:Oidc:Authority", stderr);
    }

    [Fact]
    public async Task A_production_start_with_incomplete_single_sign_on_settings_names_what_is_missing()
    {
        var settings = WithoutLake(OidcProvider.AppSettings(9));
        settings["SoxAuto:Auth:Oidc:ClientSecret"] = "";
        settings["SoxAuto:Auth:Oidc:RoleMapping:sox-admins"] = "Superuser";

        var (exit, _, stderr) = await ChildProcess.RunWebAppAsync("Production", settings);

        Assert.Equal(1, exit);
        Assert.Contains("SoxAuto cannot start: the single sign-on settings are incomplete.", stderr);
        Assert.Contains("SoxAuto:Auth:Oidc:ClientSecret is missing", stderr);
        Assert.Contains("SoxAuto:Auth:Oidc:RoleMapping:sox-admins = 'Superuser' is not a role", stderr);
    }

    [Fact]
    public async Task Single_sign_on_must_use_https_unless_told_otherwise()
    {
        var settings = WithoutLake(OidcProvider.AppSettings(9));
        settings.Remove("SoxAuto:Auth:Oidc:RequireHttpsMetadata");

        var (exit, _, stderr) = await ChildProcess.RunWebAppAsync("Production", settings);

        Assert.Equal(1, exit);
        Assert.Contains("SoxAuto:Auth:Oidc:Authority must use https", stderr);
    }

    [Fact]
    public async Task An_unknown_sign_in_mode_refuses_to_start()
    {
        var (exit, _, stderr) = await ChildProcess.RunWebAppAsync("Production", new Dictionary<string, string>(NoLake) { ["SoxAuto:Auth:Mode"] = "Anyone" });

        Assert.Equal(1, exit);
        Assert.Contains("'Anyone' is not a sign-in mode", stderr);
    }

    private static Dictionary<string, string> WithoutLake(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string>(NoLake);
        foreach (var (key, value) in settings) all[key] = value ?? "";
        return all;
    }
}
