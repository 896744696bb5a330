using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>Starting the real app: where the local demo sign-in may and may not exist.</summary>
public sealed class SignInModeTests
{
    // The app stops before it would touch a lake, so these starts do not need the shared one.
    private static readonly string NoLake = Path.Combine(Path.GetTempPath(), "soxauto-no-lake");

    [Fact]
    public void A_production_start_without_a_sign_in_mode_refuses_with_a_clear_message()
    {
        var e = Assert.ThrowsAny<Exception>(() => SoxAutoApp.Start("Production", new Dictionary<string, string?> { ["SoxAuto:LakePath"] = NoLake }).Dispose());

        var refusal = Innermost(e);
        Assert.IsType<InvalidOperationException>(refusal);
        Assert.Contains("SoxAuto cannot start: no sign-in is configured", refusal.Message);
        Assert.Contains("SoxAuto:Auth:Mode", refusal.Message);
        Assert.Contains("SoxAuto:Auth:Oidc:Authority", refusal.Message);
    }

    [Fact]
    public void A_production_start_with_incomplete_single_sign_on_settings_names_what_is_missing()
    {
        var settings = OidcProvider.AppSettings(9);
        settings["SoxAuto:Auth:Oidc:ClientSecret"] = "";
        settings["SoxAuto:Auth:Oidc:RoleMapping:sox-admins"] = "Superuser";
        settings["SoxAuto:LakePath"] = NoLake;

        var e = Assert.ThrowsAny<Exception>(() => SoxAutoApp.Start("Production", settings).Dispose());

        var message = Innermost(e).Message;
        Assert.Contains("SoxAuto cannot start: the single sign-on settings are incomplete.", message);
        Assert.Contains("SoxAuto:Auth:Oidc:ClientSecret is missing", message);
        Assert.Contains("SoxAuto:Auth:Oidc:RoleMapping:sox-admins = 'Superuser' is not a role", message);
    }

    [Fact]
    public void Single_sign_on_must_use_https_unless_told_otherwise()
    {
        var settings = OidcProvider.AppSettings(9);
        settings.Remove("SoxAuto:Auth:Oidc:RequireHttpsMetadata");
        settings["SoxAuto:LakePath"] = NoLake;

        var e = Assert.ThrowsAny<Exception>(() => SoxAutoApp.Start("Production", settings).Dispose());

        Assert.Contains("SoxAuto:Auth:Oidc:Authority must use https", Innermost(e).Message);
    }

    [Fact]
    public void An_unknown_sign_in_mode_refuses_to_start()
    {
        var e = Assert.ThrowsAny<Exception>(() =>
            SoxAutoApp.Start("Production", new Dictionary<string, string?> { ["SoxAuto:Auth:Mode"] = "Anyone", ["SoxAuto:LakePath"] = NoLake }).Dispose());

        Assert.Contains("'Anyone' is not a sign-in mode", Innermost(e).Message);
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
