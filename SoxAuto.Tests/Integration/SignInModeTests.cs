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
