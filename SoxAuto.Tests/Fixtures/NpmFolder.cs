namespace SoxAuto.Tests.Fixtures;

/// <summary>Fixtures/npm in the source tree, where ./test.sh runs `npm ci` (package.json and
/// package-lock.json pin the packages the tests use), found from the test binaries.</summary>
public static class NpmFolder
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "SoxAuto.Tests", "Fixtures", "npm");
            if (File.Exists(System.IO.Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("Cannot find SoxAuto.Tests/Fixtures/npm above " + AppContext.BaseDirectory);
    });

    public static string Path => Found.Value;
}
