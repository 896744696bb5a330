using System.Net;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core.Evidence.Store;

/// <summary>Fixed AWS credentials for the evidence bucket (tests); without them the SDK's default chain is used.</summary>
public sealed record EvidenceS3Credentials(AWSCredentials Credentials);

/// <summary>
/// Evidence in an S3 bucket (SoxAuto:Evidence:Store = S3), under "{Prefix}evidence/run-N/{file}". Every upload
/// is one PutObject with the file's SHA-256 in x-amz-checksum-sha256 (S3 refuses bytes that do not match it),
/// If-None-Match: * (S3 refuses it when the key exists: nothing is overwritten), the configured server-side
/// encryption, and, when the bucket has Object Lock, the retention mode and retain-until date. A key that
/// already holds the same bytes (a run resumed after it had uploaded) counts as published; other bytes fail
/// the run. Nothing here deletes an object.
/// </summary>
public sealed class S3EvidenceStore(IOptions<EvidenceStoreOptions> options, DataFolder folder, TimeProvider clock,
    EvidenceS3Credentials? credentials = null) : IEvidenceStore, IDisposable
{
    private readonly S3EvidenceOptions _s3 = options.Value.S3;
    private readonly Lock _gate = new();
    private AmazonS3Client? _client;
    private bool? _objectLock;

    private string Bucket => _s3.Bucket!;

    /// <summary>The work folder is local and private to this process until the files are uploaded.</summary>
    public string WorkFolder(int runId) => Path.Combine(folder.Root, "evidence-work", $"run-{runId}");

    public async Task PublishAsync(int runId, IReadOnlyList<EvidenceObject> files, CancellationToken ct)
    {
        var retention = await ObjectLockEnabledAsync(ct) ? clock.GetUtcNow().UtcDateTime.AddYears(_s3.RetentionYears) : (DateTime?)null;
        foreach (var file in files)
            await PutAsync(file, retention, ct);
        // Published: the bucket holds every byte, so the local copy goes.
        try { Directory.Delete(WorkFolder(runId), recursive: true); }
        catch (IOException) { }
    }

    private async Task PutAsync(EvidenceObject file, DateTime? retainUntil, CancellationToken ct)
    {
        var key = ObjectKey(file.Key);
        if (await ExistingSha256Async(key, ct) is { } existing)
        {
            SameOrRefuse(file, existing);
            return;
        }
        var put = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new FileStream(file.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true),
            AutoCloseStream = true,
            ContentType = file.Key.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv"
                : file.Key.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                : "application/octet-stream",
            // The hash the evidence pass computed, sent as a header over an unchunked body: S3 recomputes it and refuses a mismatch.
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ChecksumSHA256 = Convert.ToBase64String(Convert.FromHexString(file.Sha256)),
            UseChunkEncoding = false,
            IfNoneMatch = "*",
            ServerSideEncryptionMethod = _s3.Encryption == S3Encryption.SseKms ? ServerSideEncryptionMethod.AWSKMS : ServerSideEncryptionMethod.AES256,
        };
        if (_s3.Encryption == S3Encryption.SseKms) put.ServerSideEncryptionKeyManagementServiceKeyId = _s3.KmsKeyId;
        if (retainUntil is { } until)
        {
            put.ObjectLockMode = _s3.RetentionMode == RetentionMode.Governance ? ObjectLockMode.Governance : ObjectLockMode.Compliance;
            put.ObjectLockRetainUntilDate = until;
        }
        try
        {
            await Client.PutObjectAsync(put, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // Another writer got there between the check and the upload: the same rule applies.
            SameOrRefuse(file, await ExistingSha256Async(key, ct) ?? throw Failed("upload", key, e));
        }
        catch (AmazonServiceException e)
        {
            throw Failed("upload", key, e);
        }
    }

    private void SameOrRefuse(EvidenceObject file, string existingSha256)
    {
        if (existingSha256 != file.Sha256)
            throw new EvidenceStoreException(
                $"{Where(file.Key)} already holds other bytes (SHA-256 {existingSha256}; this run's file has {file.Sha256}). "
                + "SoxAuto never overwrites evidence, so the run cannot store its file there.");
    }

    /// <summary>The SHA-256 (hex) of the object at <paramref name="key"/>, or null when there is none: S3's own
    /// checksum where it kept one, else the bytes read and hashed.</summary>
    private async Task<string?> ExistingSha256Async(string key, CancellationToken ct)
    {
        try
        {
            var head = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct);
            if (!string.IsNullOrEmpty(head.ChecksumSHA256) && head.ChecksumType != ChecksumType.COMPOSITE)
                return Convert.ToHexStringLower(Convert.FromBase64String(head.ChecksumSHA256));
            await using var stream = await OpenObjectAsync(key, ct);
            return stream is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonServiceException e)
        {
            throw Failed("check", key, e);
        }
    }

    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        try
        {
            return await OpenObjectAsync(ObjectKey(key), ct);
        }
        catch (AmazonServiceException e)
        {
            throw Failed("read", ObjectKey(key), e);
        }
    }

    private async Task<Stream?> OpenObjectAsync(string objectKey, CancellationToken ct)
    {
        try
        {
            var response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = objectKey, ChecksumMode = ChecksumMode.ENABLED }, ct);
            return new ObjectStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public string Where(string key) => $"s3://{Bucket}/{ObjectKey(key)}";

    private string ObjectKey(string key) => _s3.KeyPrefix + key.Replace('\\', '/');

    /// <summary>Whether the bucket has Object Lock enabled: asked once, then remembered (it cannot be switched off).</summary>
    private async Task<bool> ObjectLockEnabledAsync(CancellationToken ct)
    {
        if (_objectLock is { } known) return known;
        try
        {
            var answer = await Client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = Bucket }, ct);
            _objectLock = answer.ObjectLockConfiguration?.ObjectLockEnabled == ObjectLockEnabled.Enabled;
        }
        // S3 says the bucket has none; an S3-compatible store without the feature (an emulator) says NotImplemented.
        catch (AmazonS3Exception e) when (e.ErrorCode is "ObjectLockConfigurationNotFoundError" or "NotImplemented")
        {
            _objectLock = false;
        }
        catch (AmazonServiceException e)
        {
            throw new EvidenceStoreException(
                $"Whether the evidence bucket {Bucket} has Object Lock could not be read ({e.ErrorCode ?? e.GetType().Name}: {e.Message}); "
                + "SoxAuto needs s3:GetBucketObjectLockConfiguration on it (see docs/operations/deployment.md).", e);
        }
        return _objectLock.Value;
    }

    private EvidenceStoreException Failed(string what, string key, AmazonServiceException e) =>
        new($"The evidence store could not {what} s3://{Bucket}/{key}: {(e is AmazonS3Exception s3 ? s3.ErrorCode + " " : "")}{e.Message}", e);

    private AmazonS3Client Client
    {
        get
        {
            lock (_gate) return _client ??= CreateClient();
        }
    }

    private AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = _s3.ForcePathStyle,
            // Only the checksum SoxAuto sets (SHA-256) is sent; the SDK adds no CRC32 of its own.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (S3EvidenceOptions.NullIfBlank(_s3.ServiceUrl) is { } url)
        {
            config.ServiceURL = url;
            if (_s3.EffectiveRegion.Length > 0) config.AuthenticationRegion = _s3.EffectiveRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(_s3.EffectiveRegion);
        }
        try
        {
            return new AmazonS3Client(credentials?.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(), config);
        }
        catch (AmazonClientException e)
        {
            throw new EvidenceStoreException($"No AWS credentials were found for the evidence bucket {Bucket}: {e.Message}", e);
        }
    }

    public void Dispose() => _client?.Dispose();

    /// <summary>An object's bytes as a stream; disposing it releases the response.</summary>
    private sealed class ObjectStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _body = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _body.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _body.ReadAsync(buffer, offset, count, ct);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
