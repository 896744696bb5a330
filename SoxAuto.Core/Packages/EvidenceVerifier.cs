using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Packages;

public enum EvidenceKind { Package, Workbook, Extract, Certificate, Unknown }

/// <summary>One thing compared: what, whether it matched, and in words what was found.</summary>
public sealed record VerifiedItem(string What, bool Matches, string Detail);

/// <summary>The answer for one file: which run it belongs to (if any) and whether every hash matches.</summary>
public sealed record Verification(string FileName, EvidenceKind Kind, string Sha256, long Bytes, bool Matches,
    IReadOnlyList<int> RunIds, string Summary, IReadOnlyList<VerifiedItem> Items);

/// <summary>
/// Says whether a file is evidence SoxAuto produced, and of which run. A workbook, extract or certificate
/// is looked up by its SHA-256 among the recorded ones. A package is checked against its own manifest only
/// (each entry's SHA-256 and size), as an outside auditor would by hand; when this SoxAuto knows the run,
/// the manifest must also agree with its record. For a file that matches nothing, it names what differs
/// from the run its name points to.
/// </summary>
public sealed partial class EvidenceVerifier(IDbContextFactory<SoxAutoDb> dbs, DataFolder folder, IEvidenceStore store, AuditTrail audit)
{
    public async Task<Verification> VerifyAsync(string path, string fileName, Actor who, CancellationToken ct = default)
    {
        var result = await JudgeAsync(path, fileName, ct);
        await audit.RecordAsync(who, result.Matches ? "verify.matched" : "verify.failed",
            result.RunIds.Count > 0 ? $"run/{result.RunIds[0]}" : "file",
            $"{fileName} ({result.Kind}, sha256 {result.Sha256}): {result.Summary}", ct);
        return result;
    }

    private async Task<Verification> JudgeAsync(string path, string fileName, CancellationToken ct)
    {
        var (sha, bytes) = await RunFiles.HashFileAsync(path, ct);
        var kind = KindOf(path, fileName);
        Verification Answer(bool ok, IReadOnlyList<int> runs, string summary, IReadOnlyList<VerifiedItem> items) =>
            new(fileName, kind, sha, bytes, ok, runs, summary, items);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var workbookOf = await db.Runs.AsNoTracking().Where(r => r.WorkbookSha256 == sha).OrderBy(r => r.Id).ToListAsync(ct);
        var extractOf = await db.Runs.AsNoTracking().Where(r => r.ExtractSha256 == sha).OrderBy(r => r.Id).ToListAsync(ct);
        var certificate = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.Sha256 == sha, ct);
        var sha256Line = new VerifiedItem("SHA-256", true, $"{sha} ({Size(bytes)})");
        if (workbookOf.Count > 0 || extractOf.Count > 0)
        {
            var (what, runs) = workbookOf.Count > 0 ? ("workbook", workbookOf) : ("extract", extractOf);
            kind = workbookOf.Count > 0 ? EvidenceKind.Workbook : EvidenceKind.Extract;
            return Answer(true, runs.Select(r => r.Id).ToList(),
                $"This is the {what} of {Describe(runs)}, byte for byte as SoxAuto recorded it.", [sha256Line]);
        }
        if (certificate is not null)
        {
            kind = EvidenceKind.Certificate;
            var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == certificate.RunId, ct);
            return Answer(true, [run.Id], $"This is the evidence certificate of {Describe([run])}, as SoxAuto issued it "
                + (certificate.SignOffId is null ? "before the run was signed off." : "with the run's sign-off."), [sha256Line]);
        }
        if (kind == EvidenceKind.Package)
            return await PackageAsync(path, db, Answer, ct);

        // Nothing recorded has this SHA-256: say what it was compared with, and where it differs.
        var named = RunOf(path, fileName, kind) is { } id ? await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) : null;
        var thisFile = new VerifiedItem("This file", false, $"SHA-256 {sha} ({Size(bytes)})");
        if (named is null)
            return Answer(false, [], $"This {Words(kind)} belongs to no run: no workbook, extract or certificate SoxAuto recorded has its SHA-256.", [thisFile]);
        var items = new List<VerifiedItem> { thisFile };
        switch (kind)
        {
            case EvidenceKind.Workbook when named.WorkbookSha256 is not null:
                items.Add(new("Recorded workbook of run " + named.Id, false, $"SHA-256 {named.WorkbookSha256} ({Size(named.WorkbookBytes ?? 0)})"));
                items.AddRange(await WorkbookDifferencesAsync(path, named, ct));
                break;
            case EvidenceKind.Extract when named.ExtractSha256 is not null:
                items.Add(new("Recorded extract of run " + named.Id, false, $"SHA-256 {named.ExtractSha256} ({Size(named.ExtractBytes ?? 0)})"));
                if (await FirstDifferentLineAsync(path, named, ct) is { } line) items.Add(line);
                break;
            case EvidenceKind.Certificate:
                var issued = await db.Certificates.AsNoTracking().Where(c => c.RunId == named.Id).OrderBy(c => c.Id).ToListAsync(ct);
                items.AddRange(issued.Select(c => new VerifiedItem($"Certificate issued for run {named.Id}", false,
                    $"SHA-256 {c.Sha256} ({Size(c.Bytes)}), {(c.SignOffId is null ? "before the sign-off" : "with the sign-off")}")));
                break;
        }
        return Answer(false, [named.Id],
            $"This {Words(kind)} names {Describe([named])}, but it is not that run's {Words(kind)} as SoxAuto recorded it: it has been altered, or it is another file.", items);
    }

    private async Task<Verification> PackageAsync(string path, SoxAutoDb db,
        Func<bool, IReadOnlyList<int>, string, IReadOnlyList<VerifiedItem>, Verification> answer, CancellationToken ct)
    {
        var items = new List<VerifiedItem>();
        int? runId = null;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            using var manifestDoc = await ReadManifestAsync(zip, ct);
            var listed = manifestDoc is null ? null : PackageManifest.FilesOf(manifestDoc, out runId);
            if (listed is null)
                return answer(false, [], "This .zip has no SoxAuto manifest.json, so it is not a SoxAuto evidence package.", items);
            foreach (var file in listed)
            {
                var entry = zip.GetEntry(file.Name);
                if (entry is null)
                {
                    items.Add(new(file.Name, false, "listed in manifest.json but missing from the package"));
                    continue;
                }
                try
                {
                    await using var stream = await entry.OpenAsync(ct);
                    var (actual, size) = await RunFiles.HashAsync(stream, ct);
                    items.Add(actual == file.Sha256 && size == file.Bytes
                        ? new(file.Name, true, $"SHA-256 {actual} ({Size(size)}), as listed")
                        : new(file.Name, false, $"SHA-256 {actual} ({Size(size)}); manifest.json lists {file.Sha256} ({Size(file.Bytes)})"));
                }
                catch (InvalidDataException e)
                {
                    items.Add(new(file.Name, false, $"cannot be read from the package: {e.Message}"));
                }
            }
            foreach (var extra in zip.Entries.Where(e => e.FullName != PackageManifest.FileName && listed.All(f => f.Name != e.FullName)))
                items.Add(new(extra.FullName, false, "in the package but not listed in manifest.json"));

            // The manifest is the package's own word; where this SoxAuto knows the run, its record must agree.
            var run = runId is { } id ? await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) : null;
            if (run is not null)
            {
                foreach (var (kind, recorded) in new[] { (RunFiles.Workbook, run.WorkbookSha256), (RunFiles.Extract, run.ExtractSha256) })
                {
                    var inManifest = listed.FirstOrDefault(f => f.Kind == kind);
                    items.Add(inManifest?.Sha256 == recorded
                        ? new($"SoxAuto's record of run {run.Id}: {kind}", true, $"SHA-256 {recorded}, as in the manifest")
                        : new($"SoxAuto's record of run {run.Id}: {kind}", false, $"SHA-256 {recorded}; the manifest lists {inManifest?.Sha256 ?? "none"}"));
                }
            }
            var ok = items.All(i => i.Matches);
            var runs = runId is { } r ? new[] { r } : [];
            var who = run is not null ? Describe([run]) : $"run {runId} (this SoxAuto has no record of it; the manifest alone was checked)";
            return answer(ok, runs, ok
                ? $"This is the evidence package of {who}: every file matches manifest.json."
                : $"This package claims to be {who}, but {items.Count(i => !i.Matches)} of its checks failed: it has been altered.", items);
        }
        catch (InvalidDataException e)
        {
            return answer(false, [], $"This file cannot be read as a .zip: {e.Message}", items);
        }
    }

    private static async Task<JsonDocument?> ReadManifestAsync(ZipArchive zip, CancellationToken ct)
    {
        if (zip.GetEntry(PackageManifest.FileName) is not { } entry) return null;
        try
        {
            await using var stream = await entry.OpenAsync(ct);
            return await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The parts of an altered workbook that differ from the stored one, by their content (a part
    /// whose compressed bytes were changed cannot be read back), or else that only the zip around them differs.</summary>
    private async Task<IReadOnlyList<VerifiedItem>> WorkbookDifferencesAsync(string path, Run run, CancellationToken ct)
    {
        await using var stored = run.WorkbookPath is null ? null : await store.OpenSeekableAsync(run.WorkbookPath, Path.Combine(folder.Root, "tmp"), ct);
        if (stored is null) return [];
        try
        {
            using var theirs = ZipFile.OpenRead(path);
            using var ours = new ZipArchive(stored, ZipArchiveMode.Read, leaveOpen: true);
            var names = ours.Entries.Select(e => e.FullName).Union(theirs.Entries.Select(e => e.FullName)).Order(StringComparer.Ordinal);
            var differs = new List<VerifiedItem>();
            foreach (var name in names)
            {
                var (mine, other) = (await PartShaAsync(ours, name, ct), await PartShaAsync(theirs, name, ct));
                if (mine != other)
                    differs.Add(new("Differs", false, $"workbook part {name}: " + (other is null ? "missing from this file"
                        : mine is null ? "not in the recorded workbook" : other.StartsWith(' ') ? other.Trim() : "its content differs")));
            }
            return differs.Count > 0 ? differs
                : [new("Differs", false, "every workbook part has the same content; the zip around them differs (compression, dates or order)")];
        }
        catch (InvalidDataException e)
        {
            return [new VerifiedItem("Differs", false, $"the file is not a readable workbook: {e.Message}")];
        }
    }

    /// <summary>The SHA-256 of a zip entry's content; null when absent; a text starting with a space when
    /// the entry cannot be read (its compressed bytes or checksum were altered).</summary>
    private static async Task<string?> PartShaAsync(ZipArchive zip, string name, CancellationToken ct)
    {
        if (zip.GetEntry(name) is not { } entry) return null;
        try
        {
            await using var stream = await entry.OpenAsync(ct);
            return (await RunFiles.HashAsync(stream, ct)).Sha256;
        }
        catch (InvalidDataException e)
        {
            return " its content cannot be read back: " + e.Message;
        }
    }

    /// <summary>The first line where an altered extract departs from the stored one.</summary>
    private async Task<VerifiedItem?> FirstDifferentLineAsync(string path, Run run, CancellationToken ct)
    {
        await using var stored = run.ExtractPath is null ? null : await store.OpenAsync(run.ExtractPath, ct);
        if (stored is null) return null;
        using var theirs = new StreamReader(path, Encoding.UTF8);
        using var ours = new StreamReader(stored, Encoding.UTF8);
        for (long line = 1; ; line++)
        {
            var a = await ours.ReadLineAsync(ct);
            var b = await theirs.ReadLineAsync(ct);
            if (a is null && b is null)
                return new("Differs", false, "the lines are the same; the line endings or the last line's end differ");
            if (a != b)
                return new("Differs", false, line == 1 ? "line 1 (the header)" : string.Create(CultureInfo.InvariantCulture, $"line {line:N0} (data row {line - 1:N0})")
                    + (a is null ? ": this file has more lines" : b is null ? ": this file has fewer lines" : ""));
        }
    }

    private static EvidenceKind KindOf(string path, string fileName)
    {
        Span<byte> head = stackalloc byte[5];
        int read;
        using (var file = File.OpenRead(path)) read = file.Read(head);
        if (read >= 4 && head[..4].SequenceEqual("%PDF"u8)) return EvidenceKind.Certificate;
        if (read >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8))
        {
            try
            {
                using var zip = ZipFile.OpenRead(path);
                if (zip.GetEntry(PackageManifest.FileName) is not null) return EvidenceKind.Package;
                if (zip.GetEntry("[Content_Types].xml") is not null) return EvidenceKind.Workbook;
            }
            catch (InvalidDataException) { }
            return fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? EvidenceKind.Workbook : EvidenceKind.Package;
        }
        return fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || (read > 0 && head[0] == (byte)'"')
            ? EvidenceKind.Extract : EvidenceKind.Unknown;
    }

    /// <summary>The run a file points to: its name (IPE_09_2025-09_run-12.csv), or a certificate's title.</summary>
    private static int? RunOf(string path, string fileName, EvidenceKind kind)
    {
        if (RunInName().Match(fileName) is { Success: true } m) return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (kind != EvidenceKind.Certificate) return null;
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(path));
        return RunInTitle().Match(text) is { Success: true } t ? int.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string Describe(IReadOnlyList<Run> runs) => string.Join(", ", runs.Select(r => $"run {r.Id} ({r.IpeId}, {r.PeriodText}, run by {r.RequestedBy})"));

    private static string Size(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string Words(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Package => "package",
        EvidenceKind.Workbook => "workbook",
        EvidenceKind.Extract => "extract",
        EvidenceKind.Certificate => "certificate",
        _ => "file",
    };

    [GeneratedRegex(@"_run-(\d{1,9})(?:_evidence)?\.[A-Za-z]+$")]
    private static partial Regex RunInName();

    [GeneratedRegex(@"evidence certificate: run (\d{1,9}),")]
    private static partial Regex RunInTitle();
}
