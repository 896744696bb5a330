using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Evidence.Store;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Integration;

/// <summary>The app with SoxAuto:Evidence:Store = S3 against s3rver: a run on the demo lake, then every reader
/// (downloads, package, verify, preview, sign-off) served from the bucket, with no copy left on this machine.</summary>
public sealed class S3EvidenceTests
{
    [Fact]
    public async Task A_run_stored_in_S3_is_downloaded_packaged_previewed_verified_and_signed_off_from_the_bucket()
    {
        var s3 = S3Server.Shared;
        var prefix = $"e2e-{Guid.NewGuid():N}/";
        await using var app = SoxAutoApp.Start(settings: S3EvidenceStoreTests.S3rverSettings(s3, prefix),
            services: s => s.AddSingleton(new EvidenceS3Credentials(S3Server.Credentials)));

        var run = await app.RunToEndAsync("IPE_09", "2025-09", "Ada Auditor");

        Assert.True(run.State == RunState.Succeeded, run.Message);
        // The bucket holds the files, byte for byte as hashed; the work copy is gone and nothing else is local.
        using (var client = s3.CreateClient())
        using (var stored = await client.GetObjectAsync(S3Server.Bucket, prefix + run.ExtractPath))
            Assert.Equal(run.ExtractSha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored.ResponseStream)));
        Assert.Empty(Directory.EnumerateFiles(app.DataPath, $"*run-{run.Id}*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(app.DataPath, "evidence-work", $"run-{run.Id}")));

        using var ada = await app.SignedInClientAsync("Ada Auditor");
        using var csv = await ada.GetAsync($"runs/{run.Id}/extract.csv");
        using var xlsx = await ada.GetAsync($"runs/{run.Id}/evidence.xlsx");
        using var zip = await ada.GetAsync($"runs/{run.Id}/package.zip");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(run.ExtractSha256, Convert.ToHexStringLower(SHA256.HashData(await csv.Content.ReadAsByteArrayAsync())));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(run.WorkbookSha256, Convert.ToHexStringLower(SHA256.HashData(await xlsx.Content.ReadAsByteArrayAsync())));
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);

        var page = await app.Services.GetRequiredService<ExtractPreview>().ReadStoredPageAsync(run.ExtractPath!, 0, 5, CancellationToken.None);
        Assert.Equal(5, page.Rows.Count);

        // Verify: the package against its manifest; altered copies against the stored files, read from the bucket.
        var verifier = app.Services.GetRequiredService<EvidenceVerifier>();
        var rita = new Actor("Rita Reviewer", "test") { Subject = TestPeople.SubjectOf("Rita Reviewer") };
        var work = Directory.CreateTempSubdirectory("soxauto-s3-verify-").FullName;
        try
        {
            var package = Path.Combine(work, $"{run.FileStem}_evidence.zip");
            await File.WriteAllBytesAsync(package, await zip.Content.ReadAsByteArrayAsync());
            var packaged = await verifier.VerifyAsync(package, Path.GetFileName(package), rita);
            Assert.True(packaged.Matches, packaged.Summary);
            using (var archive = ZipFile.OpenRead(package))
                Assert.Equal(run.ExtractSha256, Convert.ToHexStringLower(SHA256.HashData(ReadAll(archive.GetEntry(run.FileStem + ".csv")!))));

            var extract = Path.Combine(work, run.FileStem + ".csv");
            var bytes = await csv.Content.ReadAsByteArrayAsync();
            var at = Array.FindLastIndex(bytes, b => b is >= (byte)'0' and <= (byte)'8');
            bytes[at]++;
            await File.WriteAllBytesAsync(extract, bytes);
            var altered = await verifier.VerifyAsync(extract, Path.GetFileName(extract), rita);
            Assert.False(altered.Matches);
            Assert.Contains(altered.Items, i => !i.Matches && i.Detail.Contains("data row", StringComparison.Ordinal));

            var workbook = Path.Combine(work, run.FileStem + ".xlsx");
            var book = await xlsx.Content.ReadAsByteArrayAsync();
            book[book.Length / 2] ^= 0x01;
            await File.WriteAllBytesAsync(workbook, book);
            var alteredBook = await verifier.VerifyAsync(workbook, Path.GetFileName(workbook), rita);
            Assert.False(alteredBook.Matches);
            Assert.Contains(alteredBook.Items, i => !i.Matches && i.Detail.Contains("workbook part", StringComparison.Ordinal));
        }
        finally
        {
            TempDataFolder.DeleteQuietly(work);
        }

        // A sign-off reads every stored file again, from the bucket, before it is written.
        var signOff = await app.Services.GetRequiredService<ReviewService>().SignOffAsync(
            run.Id, SignOffDecision.Approved, "Agrees with the G/L.", null, new Actor("Rita Reviewer", "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Rita Reviewer") });
        Assert.Equal(SignOffDecision.Approved, signOff.Decision);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
