using System.ComponentModel.DataAnnotations;

namespace SoxAuto.Core.Engines.Athena;

/// <summary>The "SoxAuto:Athena" configuration section, used when SoxAuto:Engine is Athena. Every key is
/// documented in docs/configuration.md. Validated at start-up when the Athena engine is chosen.</summary>
public sealed class AthenaOptions : IValidatableObject
{
    public const string Section = "SoxAuto:Athena";

    /// <summary>The AWS region, e.g. eu-west-1 (signing region for Athena and S3); empty means AWS_REGION,
    /// else AWS_DEFAULT_REGION, as AWS's own tools read them (<see cref="EffectiveRegion"/>).</summary>
    public string Region { get; set; } = "";

    /// <summary>The region in use: configured, else AWS_REGION, else AWS_DEFAULT_REGION; empty when none is set.</summary>
    public string EffectiveRegion => RegionFrom(Region, Environment.GetEnvironmentVariable);

    internal static string RegionFrom(string? configured, Func<string, string?> environment) =>
        NullIfBlank(configured) ?? NullIfBlank(environment("AWS_REGION")) ?? NullIfBlank(environment("AWS_DEFAULT_REGION")) ?? "";

    public string WorkGroup { get; set; } = "primary";

    /// <summary>The data catalog the databases live in.</summary>
    public string Catalog { get; set; } = "AwsDataCatalog";

    /// <summary>The database used when an IPE names none; falls back to the ATHENA_DATABASE environment variable.</summary>
    public string? Database { get; set; }

    /// <summary>Where Athena writes results (s3://bucket/prefix/); falls back to ATHENA_S3_OUTPUT. Empty means
    /// the workgroup's own setting (or managed query results).</summary>
    public string? OutputLocation { get; set; }

    /// <summary>SSE_S3, SSE_KMS or CSE_KMS; empty means none is requested (the workgroup's setting applies).</summary>
    public string? EncryptionOption { get; set; }

    /// <summary>The KMS key for SSE_KMS or CSE_KMS.</summary>
    public string? KmsKey { get; set; }

    /// <summary>Reuse a previous identical query's result up to this many minutes old; 0 (the default) is off.</summary>
    [Range(0, 10080)]
    public int ResultReuseMaxAgeMinutes { get; set; }

    /// <summary>The first poll interval; polls back off from it up to <see cref="MaxPollInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A query still not final this long after its submission is stopped and the run fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "2.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Tries per API call for throttling, HTTP 5xx and broken connections (1 = no retry).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry's base delay; each retry doubles it (with full jitter), up to 20 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Overrides the Athena endpoint (a VPC endpoint or an emulator), e.g. https://vpce-...; empty is the regional endpoint.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Overrides the S3 endpoint for reading results.</summary>
    public string? S3ServiceUrl { get; set; }

    /// <summary>Overrides the STS endpoint: the connection check (GetCallerIdentity) and, with PerUser, the exchange of
    /// sign-in tokens for temporary credentials.</summary>
    public string? StsServiceUrl { get; set; }

    /// <summary>Path-style S3 addressing (http://endpoint/bucket/key), needed by most emulators and some VPC endpoints.</summary>
    public bool S3ForcePathStyle { get; set; }

    /// <summary>The credentials profile to use instead of the default chain's choice (AWS_PROFILE works too).</summary>
    public string? Profile { get; set; }

    /// <summary>Whose AWS identity runs a run's queries: the server's (the default chain), or the person's own
    /// temporary credentials from STS AssumeRoleWithWebIdentity (see docs/operations/aws-identity.md).</summary>
    public AwsCredentialMode Credentials { get; set; } = AwsCredentialMode.Server;

    /// <summary>With PerUser: which role a person assumes, by their groups; the first entry whose group they are in wins.</summary>
    public List<AwsRoleForGroup> Roles { get; set; } = [];

    /// <summary>With PerUser: the role that scheduled runs, API-token runs and headless verbs assume (sts:AssumeRole with the
    /// server's credentials); empty refuses such runs, as no person stands behind them.</summary>
    public string? ServiceRoleArn { get; set; }

    /// <summary>With PerUser: how long each set of temporary credentials lasts (STS allows 15 minutes to the role's
    /// maximum); they are renewed before they expire, so a long run never needs a long session.</summary>
    [Range(typeof(TimeSpan), "00:15:00", "12:00:00")]
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The database for a query that names none: configured, else ATHENA_DATABASE.</summary>
    public string? EffectiveDatabase => NullIfBlank(Database) ?? NullIfBlank(Environment.GetEnvironmentVariable("ATHENA_DATABASE"));

    /// <summary>The output location, ending with '/': configured, else ATHENA_S3_OUTPUT, else none.</summary>
    public string? EffectiveOutputLocation
    {
        get => Folder(OutputLocation) ?? Folder(Environment.GetEnvironmentVariable("ATHENA_S3_OUTPUT"));
    }

    /// <summary>A results location as Athena wants it, ending with '/'; null when blank.</summary>
    public static string? Folder(string? location) =>
        NullIfBlank(location) is { } l ? (l.EndsWith('/') ? l : l + "/") : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveRegion.Length == 0)
            yield return new ValidationResult("SoxAuto:Athena:Region is required when SoxAuto:Engine is Athena (e.g. eu-west-1), unless AWS_REGION or AWS_DEFAULT_REGION is set.", [nameof(Region)]);
        if (string.IsNullOrWhiteSpace(WorkGroup))
            yield return new ValidationResult("SoxAuto:Athena:WorkGroup is required.", [nameof(WorkGroup)]);
        if (EffectiveOutputLocation is { } output && !S3Location.TryParse(output, out _))
            yield return new ValidationResult($"SoxAuto:Athena:OutputLocation must look like s3://bucket/prefix/ (it is '{output}').", [nameof(OutputLocation)]);
        if (NullIfBlank(EncryptionOption) is { } enc && enc is not ("SSE_S3" or "SSE_KMS" or "CSE_KMS"))
            yield return new ValidationResult("SoxAuto:Athena:EncryptionOption must be SSE_S3, SSE_KMS or CSE_KMS.", [nameof(EncryptionOption)]);
        if (NullIfBlank(EncryptionOption) is "SSE_KMS" or "CSE_KMS" && string.IsNullOrWhiteSpace(KmsKey))
            yield return new ValidationResult("SoxAuto:Athena:KmsKey is required with SSE_KMS or CSE_KMS.", [nameof(KmsKey)]);
        foreach (var (name, url) in new[] { (nameof(ServiceUrl), ServiceUrl), (nameof(S3ServiceUrl), S3ServiceUrl), (nameof(StsServiceUrl), StsServiceUrl) })
            if (NullIfBlank(url) is { } u && !(Uri.TryCreate(u, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
                yield return new ValidationResult($"SoxAuto:Athena:{name} must be an absolute http(s) URL.", [name]);
        if (Credentials == AwsCredentialMode.PerUser)
        {
            if (Roles.Count == 0)
                yield return new ValidationResult("SoxAuto:Athena:Roles must map at least one group to a role ARN when SoxAuto:Athena:Credentials is PerUser.", [nameof(Roles)]);
            for (int i = 0; i < Roles.Count; i++)
                if (string.IsNullOrWhiteSpace(Roles[i].Group) || !IsRoleArn(Roles[i].RoleArn))
                    yield return new ValidationResult($"SoxAuto:Athena:Roles:{i} needs a Group and a RoleArn like arn:aws:iam::123456789012:role/name.", [nameof(Roles)]);
            if (NullIfBlank(ServiceRoleArn) is { } service && !IsRoleArn(service))
                yield return new ValidationResult("SoxAuto:Athena:ServiceRoleArn must look like arn:aws:iam::123456789012:role/name.", [nameof(ServiceRoleArn)]);
        }
        if (MaxPollInterval < PollInterval)
            yield return new ValidationResult("SoxAuto:Athena:MaxPollInterval must not be below PollInterval.", [nameof(MaxPollInterval)]);
    }

    internal static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool IsRoleArn(string? arn) =>
        arn is not null && System.Text.RegularExpressions.Regex.IsMatch(arn, @"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$");

    /// <summary>The STS client's settings: the configured endpoint (StsServiceUrl) or the region's own.</summary>
    internal Amazon.SecurityToken.AmazonSecurityTokenServiceConfig StsConfig(int maxErrorRetry)
    {
        var config = new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { MaxErrorRetry = maxErrorRetry };
        if (NullIfBlank(StsServiceUrl) is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = EffectiveRegion;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(EffectiveRegion);
        }
        return config;
    }
}

public enum AwsCredentialMode { Server, PerUser }

/// <summary>One line of the group-to-role mapping: a person in <see cref="Group"/> assumes <see cref="RoleArn"/>.</summary>
public sealed class AwsRoleForGroup
{
    public string Group { get; set; } = "";
    public string RoleArn { get; set; } = "";
}

/// <summary>An s3://bucket/key location.</summary>
public readonly record struct S3Location(string Bucket, string Key)
{
    public static bool TryParse(string? uri, out S3Location location)
    {
        location = default;
        if (uri is null || !uri.StartsWith("s3://", StringComparison.Ordinal)) return false;
        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0) return false;
        location = new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
        return true;
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";
}
