using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using SoxAuto.Core;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Fixtures.ReviewHost;

namespace SoxAuto.Tests.Core.Packages;

/// <summary>One run's evidence package: what it holds, that it is the same bytes every time for the same
/// run state, that its manifest alone verifies it, and that its certificate is a PDF another tool reads.</summary>
public sealed class EvidencePackageTests(ReviewHost review) : IClassFixture<ReviewHost>
{
    private EvidencePackages Packages => review.Host.Get<EvidencePackages>();

    [Fact]
    public async Task The_package_built_twice_for_the_same_run_state_has_the_same_bytes_before_and_after_the_sign_off()
    {
        var run = await review.SucceededRunAsync(Ada);

        var first = await BuildAsync(run.Id);
        var second = await BuildAsync(run.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), Convert.ToHexStringLower(SHA256.HashData(second)));

        await review.Host.Get<ReviewService>().SignOffAsync(run.Id, SignOffDecision.Approved, "ok", null, Rita);
        var signed = await BuildAsync(run.Id);
        Assert.Equal(signed, await BuildAsync(run.Id));
        Assert.NotEqual(first, signed);
        // The sign-off adds signoff.json (and is printed on the certificate); the evidence files are the same bytes.
        Assert.Equal(Entry(first, run.FileStem + ".xlsx"), Entry(signed, run.FileStem + ".xlsx"));
        Assert.Equal(Entry(first, run.FileStem + ".csv"), Entry(signed, run.FileStem + ".csv"));
        Assert.Null(Names(first).FirstOrDefault(n => n == EvidencePackage.SignOffName));
        Assert.Contains(EvidencePackage.SignOffName, Names(signed));
        // Who signed off, by name and by subject (two reviewers may share a name).
        using var signOff = JsonDocument.Parse(Entry(signed, EvidencePackage.SignOffName));
        Assert.Equal(("Rita Reviewer", Rita.Subject), (signOff.RootElement.GetProperty("by").GetString(), signOff.RootElement.GetProperty("bySubject").GetString()));
    }

    [Fact]
    public async Task The_package_holds_the_evidence_files_and_a_manifest_whose_hashes_match_every_entry()
    {
        var run = await review.SucceededRunAsync(Ada);

        var package = await BuildAsync(run.Id);

        var stem = run.FileStem;
        Assert.Equal(["README.txt", "certificate.pdf", $"{stem}.xlsx", $"{stem}.csv", $"{stem}.sql", "manifest.json"], Names(package));
        using var manifest = JsonDocument.Parse(Entry(package, "manifest.json"));
        var root = manifest.RootElement;
        Assert.Equal(run.Id, root.GetProperty("run").GetProperty("id").GetInt32());
        Assert.Equal(run.ExecutionId, root.GetProperty("run").GetProperty("executionId").GetString());
        Assert.Equal("system (seed catalog)", root.GetProperty("ipe").GetProperty("version").GetProperty("approvedBy").GetString());
        Assert.Equal(Ada.Subject, root.GetProperty("run").GetProperty("requestedBySubject").GetString());
        var version = root.GetProperty("ipe").GetProperty("version");
        Assert.All(new[] { "authoredBySubject", "approvedBySubject" }, p => Assert.False(string.IsNullOrEmpty(version.GetProperty(p).GetString()), p));
        Assert.Equal(run.Checks.Count, root.GetProperty("checks").GetArrayLength());
        var files = root.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(Names(package).Where(n => n != "manifest.json"), files.Select(f => f.GetProperty("name").GetString()));
        foreach (var f in files)
        {
            var bytes = Entry(package, f.GetProperty("name").GetString()!);
            Assert.Equal(f.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(f.GetProperty("bytes").GetInt64(), bytes.LongLength);
        }
        Assert.Equal(run.WorkbookSha256, files.Single(f => f.GetProperty("kind").GetString() == "workbook").GetProperty("sha256").GetString());
        Assert.Equal(run.ExecutedSql, System.Text.Encoding.UTF8.GetString(Entry(package, $"{stem}.sql")));
    }

    [Fact]
    public async Task The_certificate_is_a_one_page_PDF_that_an_independent_reader_opens_and_it_states_the_run_and_its_hashes()
    {
        var run = await review.SucceededRunAsync(Ada);
        await review.Host.Get<ReviewService>().SignOffAsync(run.Id, SignOffDecision.Approved, "Agreed to the ledger.", null, Rita);
        var pdf = Path.Combine(review.Host.DataPath, $"certificate-{run.Id}.pdf");
        await File.WriteAllBytesAsync(pdf, Entry(await BuildAsync(run.Id), "certificate.pdf"));

        var info = await PopplerAsync("pdfinfo", pdf);
        var text = (await PopplerAsync("pdftotext", "-layout", pdf, "-")).ReplaceLineEndings(" ");

        Assert.Matches(@"Pages:\s+1\b", info);
        Assert.Contains($"run {run.Id}", info);
        foreach (var fact in new[] { "IPE_09", "C-PG-1", run.ExecutionId!, "Ada Auditor", "system (seed catalog)", run.WorkbookSha256!, run.ExtractSha256!, "Rita Reviewer", "Agreed to the ledger." })
            Assert.Contains(fact, text);
    }

    [Fact]
    public async Task A_package_is_not_made_when_a_stored_file_no_longer_matches_its_record()
    {
        var run = await review.SucceededRunAsync(Ada);
        var workbook = review.Host.Get<DataFolder>().Absolute(run.WorkbookPath!);
        File.SetAttributes(workbook, FileAttributes.Normal); // published files are read-only: a tamperer clears that first
        var bytes = await File.ReadAllBytesAsync(workbook);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(workbook, bytes);

        var refused = await Assert.ThrowsAsync<EvidenceAlteredException>(() => BuildAsync(run.Id));

        Assert.Contains($"{run.FileStem}.xlsx", refused.Message);
    }

    [Fact]
    public async Task An_auditor_gets_no_package_of_someone_elses_run()
    {
        var run = await review.SucceededRunAsync(new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") });

        Assert.Null(await Packages.OpenAsync(run.Id, Ada, "/runs/x/package.zip"));
        Assert.NotNull(await Packages.OpenAsync(run.Id, Rita, "/runs/x/package.zip"));
    }

    private async Task<byte[]> BuildAsync(int runId)
    {
        var contents = await Packages.OpenAsync(runId, Rita, "test") ?? throw new InvalidOperationException($"Run {runId} has no package.");
        using var output = new MemoryStream();
        await Packages.WriteAsync(contents, output, Rita, "package.built");
        return output.ToArray();
    }

    internal static IReadOnlyList<string> Names(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    internal static byte[] Entry(byte[] package, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static async Task<string> PopplerAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (./test.sh installs poppler-utils).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
        return output;
    }
}
