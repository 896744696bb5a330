using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Evidence.Store;

/// <summary>The S3 evidence store on the wire: against a recorder that keeps every request (s3rver ignores
/// Object Lock and checksum headers) and against s3rver.</summary>
public sealed class S3EvidenceStoreTests : IDisposable
{
    private readonly TempDataFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_evidence_upload_of_a_run_carries_its_SHA256_checksum_encryption_and_retention_headers()
    {
        await using var recorder = await S3Recorder.StartAsync();
        var settings = recorder.Settings(prefix: "audit/");
        settings["SoxAuto:Evidence:S3:Encryption"] = "SseKms";
        settings["SoxAuto:Evidence:S3:KmsKeyId"] = "arn:aws:kms:eu-west-1:123456789012:key/evidence";
        settings["SoxAuto:Evidence:S3:RetentionMode"] = "Governance";
        await using var host = await CoreHost.StartAsync(settings: settings, services: s => s.AddSingleton(new EvidenceS3Credentials(S3Recorder.Credentials)));

        var requested = await host.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        var run = await host.WaitForFinalAsync(requested.Id);

        Assert.True(run.State == RunState.Succeeded, run.Message);
        var puts = recorder.Puts;
        Assert.Equal(2, puts.Count);
        var recorded = new Dictionary<string, string>
        {
            [$"/{S3Recorder.Bucket}/audit/evidence/run-{run.Id}/{run.FileStem}.csv"] = run.ExtractSha256!,
            [$"/{S3Recorder.Bucket}/audit/evidence/run-{run.Id}/{run.FileStem}.xlsx"] = run.WorkbookSha256!,
        };
        Assert.Equal(recorded.Keys.Order(), puts.Select(p => p.Path).Order());
        foreach (var put in puts)
        {
            var sha = SHA256.HashData(put.Body);
            Assert.Equal(recorded[put.Path], Convert.ToHexStringLower(sha));
            Assert.Equal(Convert.ToBase64String(sha), put.Headers["x-amz-checksum-sha256"]);
            Assert.Equal("*", put.Headers["If-None-Match"]);
            Assert.Equal("aws:kms", put.Headers["x-amz-server-side-encryption"]);
            Assert.Equal(settings["SoxAuto:Evidence:S3:KmsKeyId"], put.Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
            Assert.Equal("GOVERNANCE", put.Headers["x-amz-object-lock-mode"]);
            var until = DateTimeOffset.Parse(put.Headers["x-amz-object-lock-retain-until-date"], CultureInfo.InvariantCulture);
            Assert.InRange(until, DateTimeOffset.UtcNow.AddYears(7).AddDays(-1), DateTimeOffset.UtcNow.AddYears(7).AddDays(1));
            // One checksum, of the whole body, in a header: no aws-chunked body with a trailing CRC32 of the SDK's own.
            Assert.DoesNotContain(put.Headers, h => h.Key.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) && h.Key != "x-amz-checksum-sha256");
            Assert.False(put.Headers.ContainsKey("x-amz-trailer"));
            Assert.DoesNotContain("aws-chunked", put.Headers.GetValueOrDefault("Content-Encoding") ?? "");
        }
        // Published and gone from this machine.
        Assert.Empty(Directory.EnumerateFiles(host.DataPath, $"*run-{run.Id}*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_bucket_without_Object_Lock_gets_no_retention_headers_and_SSE_S3_by_default()
    {
        await using var recorder = await S3Recorder.StartAsync();
        recorder.ObjectLock = false;
        var store = Store(recorder.Settings());

        await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"1\"\n")], CancellationToken.None);

        var put = Assert.Single(recorder.Puts);
        Assert.Equal("AES256", put.Headers["x-amz-server-side-encryption"]);
        Assert.False(put.Headers.ContainsKey("x-amz-object-lock-mode"));
        Assert.False(put.Headers.ContainsKey("x-amz-object-lock-retain-until-date"));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(put.Body)), put.Headers["x-amz-checksum-sha256"]);
    }

    [Fact]
    public async Task An_existing_key_is_never_overwritten_even_when_another_writer_races_the_check()
    {
        await using var recorder = await S3Recorder.StartAsync();
        var store = Store(recorder.Settings());
        var original = await FileAsync(1, "a.csv", "\"id\"\n\"1\"\n");
        await store.PublishAsync(1, [original], CancellationToken.None);

        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(async () =>
            await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"2\"\n")], CancellationToken.None));
        Assert.Contains("never overwrites evidence", refused.Message);
        Assert.Single(recorder.Puts);

        // Between SoxAuto's check and its upload another writer stored the key: S3 refuses the conditional
        // upload (412), and SoxAuto refuses too.
        recorder.HeadMisses = 1;
        await Assert.ThrowsAsync<EvidenceStoreException>(async () =>
            await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"3\"\n")], CancellationToken.None));
        Assert.Equal(2, recorder.Puts.Count);
        Assert.Equal("\"id\"\n\"1\"\n"u8.ToArray(), recorder.Object("evidence/run-1/a.csv"));
    }

    [Fact]
    public async Task The_same_bytes_published_again_count_as_published_and_are_not_uploaded_twice()
    {
        await using var recorder = await S3Recorder.StartAsync();
        var store = Store(recorder.Settings());
        await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"1\"\n")], CancellationToken.None);

        await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"1\"\n")], CancellationToken.None);

        Assert.Single(recorder.Puts);
    }

    [Fact]
    public async Task On_s3rver_an_existing_key_keeps_its_bytes_and_the_second_upload_is_refused()
    {
        var s3 = S3Server.Shared;
        var store = Store(S3rverSettings(s3, $"refuse-{Guid.NewGuid():N}/"), S3Server.Credentials);
        await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"1\"\n")], CancellationToken.None);

        await Assert.ThrowsAsync<EvidenceStoreException>(async () =>
            await store.PublishAsync(1, [await FileAsync(1, "a.csv", "\"id\"\n\"2\"\n")], CancellationToken.None));

        await using var stored = await store.OpenAsync("evidence/run-1/a.csv", CancellationToken.None);
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy);
        Assert.Equal("\"id\"\n\"1\"\n"u8.ToArray(), copy.ToArray());
        Assert.Null(await store.OpenAsync("evidence/run-1/missing.csv", CancellationToken.None));
    }

    internal static Dictionary<string, string?> S3rverSettings(S3Server s3, string prefix) => new()
    {
        ["SoxAuto:Evidence:Store"] = "S3",
        ["SoxAuto:Evidence:S3:Bucket"] = S3Server.Bucket,
        ["SoxAuto:Evidence:S3:Prefix"] = prefix,
        ["SoxAuto:Evidence:S3:ServiceUrl"] = s3.Endpoint,
        ["SoxAuto:Evidence:S3:ForcePathStyle"] = "true",
        ["SoxAuto:Evidence:S3:Region"] = AthenaEmulator.Region,
    };

    private S3EvidenceStore Store(Dictionary<string, string?> settings, Amazon.Runtime.AWSCredentials? credentials = null)
    {
        var options = new EvidenceStoreOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(EvidenceStoreOptions.Section).Bind(options);
        return new S3EvidenceStore(Options.Create(options), _data.Folder, TimeProvider.System,
            new EvidenceS3Credentials(credentials ?? S3Recorder.Credentials));
    }

    private async Task<EvidenceObject> FileAsync(int runId, string name, string content)
    {
        var folder = Path.Combine(_data.Folder.Root, "evidence-work", $"run-{runId}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content);
        var bytes = await File.ReadAllBytesAsync(path);
        return new EvidenceObject(IEvidenceStore.KeyOf(runId, name), path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}
