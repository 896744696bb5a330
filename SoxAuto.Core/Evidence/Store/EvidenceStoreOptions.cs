using System.ComponentModel.DataAnnotations;
namespace SoxAuto.Core.Evidence.Store;

public enum EvidenceStoreKind { Folder, S3 }

public enum S3Encryption { SseS3, SseKms }

public enum RetentionMode { Compliance, Governance }

/// <summary>The "SoxAuto:Evidence" section: where evidence lives once a run has written it. Every key is
/// documented in docs/configuration.md; validated at start-up (an S3 store without a bucket refuses to start).</summary>
public sealed class EvidenceStoreOptions : IValidatableObject
{
    public const string Section = "SoxAuto:Evidence";

    /// <summary>Folder (the default: the data folder's evidence/ folder) or S3.</summary>
    public EvidenceStoreKind Store { get; set; } = EvidenceStoreKind.Folder;

    public S3EvidenceOptions S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store != EvidenceStoreKind.S3) yield break;
        if (string.IsNullOrWhiteSpace(S3.Bucket))
            yield return new ValidationResult(
                "SoxAuto:Evidence:S3:Bucket is required when SoxAuto:Evidence:Store is S3: name the bucket that keeps the evidence "
                + "(see docs/operations/deployment.md), or set SoxAuto:Evidence:Store to Folder.", ["S3:Bucket"]);
        if (S3.Encryption == S3Encryption.SseKms && string.IsNullOrWhiteSpace(S3.KmsKeyId))
            yield return new ValidationResult("SoxAuto:Evidence:S3:KmsKeyId is required when SoxAuto:Evidence:S3:Encryption is SseKms.", ["S3:KmsKeyId"]);
        if (S3.RetentionYears is < 1 or > 100)
            yield return new ValidationResult("SoxAuto:Evidence:S3:RetentionYears must be between 1 and 100.", ["S3:RetentionYears"]);
        if (S3EvidenceOptions.NullIfBlank(S3.ServiceUrl) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
            yield return new ValidationResult("SoxAuto:Evidence:S3:ServiceUrl must be an absolute http(s) URL.", ["S3:ServiceUrl"]);
        if (S3.EffectiveRegion.Length == 0 && S3EvidenceOptions.NullIfBlank(S3.ServiceUrl) is null)
            yield return new ValidationResult("SoxAuto:Evidence:S3:Region is required (e.g. eu-west-1), unless AWS_REGION or AWS_DEFAULT_REGION is set.", ["S3:Region"]);
    }
}

/// <summary>The "SoxAuto:Evidence:S3" section, used when SoxAuto:Evidence:Store is S3.</summary>
public sealed class S3EvidenceOptions
{
    public string? Bucket { get; set; }

    /// <summary>Put before every object key, e.g. "soxauto/prod/"; empty puts the keys at the bucket's root.</summary>
    public string? Prefix { get; set; }

    /// <summary>Server-side encryption asked for on every upload: SSE-S3 (AES256) or SSE-KMS with <see cref="KmsKeyId"/>.</summary>
    public S3Encryption Encryption { get; set; } = S3Encryption.SseS3;

    /// <summary>The KMS key (id, ARN or alias ARN) for SseKms.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>The Object Lock mode given to each object when the bucket has Object Lock enabled.</summary>
    public RetentionMode RetentionMode { get; set; } = RetentionMode.Compliance;

    /// <summary>How long each object is retained from its upload, when the bucket has Object Lock enabled.</summary>
    public int RetentionYears { get; set; } = 7;

    /// <summary>The bucket's region; empty means AWS_REGION, else AWS_DEFAULT_REGION.</summary>
    public string? Region { get; set; }

    /// <summary>Overrides the S3 endpoint (a VPC endpoint or an emulator).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style addressing (http://endpoint/bucket/key), for emulators and some VPC endpoints.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Configured, else AWS_REGION, else AWS_DEFAULT_REGION (as AWS's own tools read them); empty when none is set.</summary>
    public string EffectiveRegion => NullIfBlank(Region) ?? NullIfBlank(Environment.GetEnvironmentVariable("AWS_REGION"))
        ?? NullIfBlank(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) ?? "";

    /// <summary>The prefix as keys use it: empty, or ending with one '/'.</summary>
    internal static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public string KeyPrefix => NullIfBlank(Prefix) is { } p ? p.Trim('/') + "/" : "";
}
