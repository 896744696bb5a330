using SoxAuto.Core;
using SoxAuto.Core.DemoLake;

namespace SoxAuto.Tests.Fixtures;

/// <summary>One demo lake per test process, generated on first use, shared by every app instance
/// through SoxAuto:LakePath (generating it per test would cost seconds each).</summary>
public static class SharedLake
{
    private static readonly Lazy<string> Lake = new(() =>
    {
        var folder = new DataFolder(Directory.CreateTempSubdirectory("soxauto-lake-").FullName);
        new DemoLakeGenerator(folder).EnsureAsync(CancellationToken.None).GetAwaiter().GetResult();
        return folder.Lake;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Lake.Value;
}
