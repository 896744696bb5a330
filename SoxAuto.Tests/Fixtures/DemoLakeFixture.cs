using SoxAuto.Core;
using SoxAuto.Core.DemoLake;

namespace SoxAuto.Tests.Fixtures;

/// <summary>
/// The demo lake, generated once per test process into a temp folder (thread-safe, on first use) and
/// shared by every test and every app instance (point <c>SoxAuto:LakePath</c> at <see cref="SharedLakePath"/>).
/// Use it as <c>IClassFixture&lt;DemoLakeFixture&gt;</c> (classes still run in parallel) or through the
/// static members; the folder is deleted when the test process exits.
/// </summary>
public sealed class DemoLakeFixture
{
    private static readonly Lazy<string> Lake = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string SharedLakePath => Lake.Value;

    public string LakePath => SharedLakePath;

    public LakeManifest Manifest => LakeManifest.TryRead(SharedLakePath)
        ?? throw new InvalidOperationException("The shared demo lake has no manifest.");

    /// <summary>A fresh, empty data folder (its own engine results, evidence, database) that reads the shared lake.</summary>
    public static TempDataFolder NewDataFolder() => new(SharedLakePath);

    private static string Generate()
    {
        var root = Directory.CreateTempSubdirectory("soxauto-lake-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempDataFolder.DeleteQuietly(root);
        var folder = new DataFolder(root);
        new DemoLakeGenerator(folder).EnsureAsync(CancellationToken.None).GetAwaiter().GetResult();
        return folder.Lake;
    }
}

/// <summary>A data folder in the temp directory, deleted on dispose.</summary>
public sealed class TempDataFolder : IDisposable
{
    public TempDataFolder(string? lakePath = null)
    {
        Folder = new DataFolder(Directory.CreateTempSubdirectory("soxauto-data-").FullName, lakePath);
    }

    public DataFolder Folder { get; }

    public void Dispose() => DeleteQuietly(Folder.Root);

    public static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
