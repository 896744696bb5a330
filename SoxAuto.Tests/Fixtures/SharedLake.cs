namespace SoxAuto.Tests.Fixtures;

/// <summary>One demo lake per test process, generated on first use, shared by every app instance
/// through SoxAuto:LakePath (generating it per test would cost seconds each). See <see cref="DemoLakeFixture"/>.</summary>
public static class SharedLake
{
    public static string Path => DemoLakeFixture.SharedLakePath;
}
