using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>
/// A fake S3 for the tests: npm's s3rver (installed by ./test.sh from Fixtures/npm), started once per test
/// process on a free loopback port with its own temp folder, stopped when the process exits. It checks no
/// signatures; its access key is S3RVER. It has one bucket, <see cref="Bucket"/>.
/// </summary>
public sealed class S3Server
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Bucket = "soxauto-athena-results";

    private static readonly Lazy<S3Server> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private S3Server(string endpoint, Process process, string folder)
    {
        Endpoint = endpoint;
        _process = process;
        Folder = folder;
    }

    private readonly Process _process;

    public static S3Server Shared => Instance.Value;

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public string Endpoint { get; }

    /// <summary>Where s3rver keeps the objects.</summary>
    public string Folder { get; }

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKey, SecretKey);

    /// <summary>An AWSSDK.S3 client for s3rver: path-style addressing, the test region.</summary>
    public AmazonS3Client CreateClient() => new(Credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = AthenaEmulator.Region,
    });

    public async Task<byte[]> GetBytesAsync(string s3Uri)
    {
        var location = SoxAuto.Core.Engines.Athena.S3Location.TryParse(s3Uri, out var l) ? l : throw new ArgumentException(s3Uri);
        using var client = CreateClient();
        using var response = await client.GetObjectAsync(location.Bucket, location.Key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The repository's root (where test.sh is), found from the test assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "test.sh")) && File.Exists(Path.Combine(dir.FullName, "SoxAuto.sln")))
                return dir.FullName;
        throw new InvalidOperationException("The repository root (with test.sh) was not found above " + AppContext.BaseDirectory);
    }

    private static S3Server Start()
    {
        var npm = Path.Combine(RepositoryRoot(), "SoxAuto.Tests", "Fixtures", "npm");
        var script = Path.Combine(npm, "s3rver.mjs");
        if (!File.Exists(Path.Combine(npm, "node_modules", "s3rver", "package.json")))
            throw new InvalidOperationException($"s3rver is not installed ({script}): run ./test.sh, or `npm ci` in SoxAuto.Tests/Fixtures/npm.");
        var folder = Directory.CreateTempSubdirectory("soxauto-s3rver-").FullName;
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("node")
        {
            // The server ends when its standard input closes, i.e. when this test process ends, however it ends.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--openssl-legacy-provider", script, folder, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            TempDataFolder.DeleteQuietly(folder);
        };
        var server = new S3Server($"http://127.0.0.1:{port}", process, folder);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = server.CreateClient();
                client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }).GetAwaiter().GetResult();
                return server;
            }
            catch (Exception) when (DateTime.UtcNow < until && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }
}
