using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

internal static class AthenaTestKit
{
    public static AWSCredentials Credentials => new BasicAWSCredentials(AthenaEmulator.AccessKey, AthenaEmulator.SecretKey);

    /// <summary>Settings that point the app's Athena engine at the emulator and s3rver.</summary>
    public static Dictionary<string, string?> Settings(AthenaEmulator emulator) => new()
    {
        ["SoxAuto:Engine"] = "Athena",
        ["SoxAuto:Athena:Region"] = AthenaEmulator.Region,
        ["SoxAuto:Athena:WorkGroup"] = AthenaEmulator.WorkGroup,
        ["SoxAuto:Athena:OutputLocation"] = emulator.OutputLocation,
        ["SoxAuto:Athena:ServiceUrl"] = emulator.Endpoint,
        ["SoxAuto:Athena:S3ServiceUrl"] = emulator.S3.Endpoint,
        ["SoxAuto:Athena:S3ForcePathStyle"] = "true",
        ["SoxAuto:Athena:PollInterval"] = "00:00:00.020",
        ["SoxAuto:Athena:MaxPollInterval"] = "00:00:00.200",
        ["SoxAuto:Athena:RetryBaseDelay"] = "00:00:00.010",
    };

    public static AthenaOptions Options(AthenaEmulator emulator) => new()
    {
        Region = AthenaEmulator.Region,
        WorkGroup = AthenaEmulator.WorkGroup,
        OutputLocation = emulator.OutputLocation,
        ServiceUrl = emulator.Endpoint,
        S3ServiceUrl = emulator.S3.Endpoint,
        S3ForcePathStyle = true,
        PollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(200),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    public static AthenaEngine Engine(AthenaEmulator emulator, TempDataFolder data, Action<AthenaOptions>? tweak = null, AWSCredentials? credentials = null)
    {
        var options = Options(emulator);
        tweak?.Invoke(options);
        return new AthenaEngine(Microsoft.Extensions.Options.Options.Create(options), new FixedAwsCredentialsSource(credentials ?? Credentials),
            data.Folder, TimeProvider.System, NullLogger<AthenaEngine>.Instance);
    }
}
