using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Packages;

/// <summary>A stored file that no longer matches the SHA-256 SoxAuto recorded: nothing built from it is evidence.</summary>
public sealed class EvidenceAlteredException(string message) : Exception(message);

/// <summary>What goes into one run's package; <see cref="EvidencePackages.OpenAsync"/> gathers it.</summary>
public sealed record PackageContents(Run Run, SignOff? SignOff, IReadOnlyList<RunFile> Files, byte[] Certificate)
{
    public string FileName => Run.FileStem + "_evidence.zip";
}

/// <summary>
/// Writes one run's evidence package, a .zip: README.txt, certificate.pdf, the workbook, the extract, the
/// SQL as executed, signoff.json once signed off, and manifest.json last (the SHA-256 and size of every other
/// entry, computed from the bytes written). Deterministic: fixed entry order, every entry dated with the
/// run's finish time, fixed permissions, and the same compression; the zip is always written forward only
/// (sizes after each entry), whether to a file or to a download, so both give the same bytes.
/// </summary>
public static class EvidencePackage
{
    public const string ReadmeName = "README.txt", SignOffName = "signoff.json";
    private const int FilePermissions = 0b110_100_100; // rw-r--r--

    /// <param name="store">Where the run's stored files are read from, streamed into the zip.</param>
    public static async Task WriteAsync(PackageContents contents, IEvidenceStore store, Stream output, CancellationToken ct)
    {
        var run = contents.Run;
        var stamp = new DateTimeOffset(DosTime((run.FinishedAt ?? run.RequestedAt).UtcDateTime), TimeSpan.Zero);
        var listed = new List<PackageFile>();
        await using (var zip = new ZipArchive(new ForwardOnly(output), ZipArchiveMode.Create, leaveOpen: true))
        {
            async Task<PackageFile> AddAsync(string name, string kind, Stream source, CompressionLevel level)
            {
                var entry = zip.CreateEntry(name, level);
                entry.LastWriteTime = stamp;
                entry.ExternalAttributes = FilePermissions << 16;
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long bytes = 0;
                await using (var target = entry.Open())
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await source.ReadAsync(buffer, ct)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), ct);
                        bytes += read;
                    }
                }
                return new PackageFile(name, kind, Convert.ToHexStringLower(sha.GetHashAndReset()), bytes);
            }

            Task<PackageFile> AddBytesAsync(string name, string kind, byte[] content, CompressionLevel level) =>
                AddAsync(name, kind, new MemoryStream(content, writable: false), level);

            listed.Add(await AddBytesAsync(ReadmeName, "readme", Encoding.UTF8.GetBytes(Readme(contents)), CompressionLevel.Optimal));
            listed.Add(await AddBytesAsync(Certificate.FileName, "certificate", contents.Certificate, CompressionLevel.Optimal));
            foreach (var file in contents.Files)
            {
                await using var source = file.Content is not null ? new MemoryStream(file.Content, writable: false)
                    : await store.OpenAsync(file.StoredKey!, ct)
                      ?? throw new EvidenceAlteredException($"The stored {file.Kind} {file.Name} of run {run.Id} is missing from the evidence store. No package was made.");
                // A workbook is a zip already: stored, not deflated again.
                var written = await AddAsync(file.Name, file.Kind, source, file.Kind == RunFiles.Workbook ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                if (written.Sha256 != file.Sha256 || written.Bytes != file.Bytes)
                    throw new EvidenceAlteredException(
                        $"The stored {file.Kind} {file.Name} of run {run.Id} no longer matches its record (SHA-256 {written.Sha256}, recorded {file.Sha256}). No package was made.");
                listed.Add(written);
            }
            if (contents.SignOff is { } signOff)
                listed.Add(await AddBytesAsync(SignOffName, "signoff", PackageManifest.SignOffFile(signOff), CompressionLevel.Optimal));
            await AddBytesAsync(PackageManifest.FileName, "manifest",
                PackageManifest.Write(run, PackageManifest.ControlTotals(run), listed), CompressionLevel.Optimal);
        }
        await output.FlushAsync(ct);
    }

    /// <summary>A zip entry's date has a two-second resolution and no time zone: the run's UTC finish time, rounded down.</summary>
    private static DateTime DosTime(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second / 2 * 2, DateTimeKind.Unspecified);

    private static string Readme(PackageContents c) => $$"""
        SoxAuto evidence package: run {{c.Run.Id}}, {{c.Run.IpeId}}, period {{c.Run.PeriodText}}
        ====================================================================

        {{c.Run.FileStem}}.xlsx  the evidence workbook (facts, SQL, data, checks, columns)
        {{c.Run.FileStem}}.csv   the extract, exactly as the engine delivered it
        {{c.Run.FileStem}}.sql   the SQL as executed (UTF-8)
        {{Certificate.FileName}}       the one-page evidence certificate
        {{SignOffName}}          the reviewer's sign-off (present once the run is signed off)
        {{PackageManifest.FileName}}         every fact of the run, and the SHA-256 and size of every other file

        How to verify this package by hand
        ----------------------------------
        Unzip it, then recompute the SHA-256 of each file and compare it with "sha256" in manifest.json
        (the file sizes are listed there too). Nothing else is needed: no SoxAuto, no database.

        Linux, macOS (with jq):
            jq -r '.files[] | "\(.sha256)  \(.name)"' manifest.json | sha256sum -c -

        Linux, macOS (without jq):
            sha256sum *        and compare each line with manifest.json by eye

        Windows PowerShell:
            (Get-Content manifest.json -Raw | ConvertFrom-Json).files | ForEach-Object {
                $actual = (Get-FileHash -Algorithm SHA256 $_.name).Hash.ToLower()
                "{0}  {1}" -f ($(if ($actual -eq $_.sha256) { "OK      " } else { "ALTERED " }), $_.name) }

        Every file must match. The workbook's Evidence sheet also states the extract's SHA-256, and the
        certificate states the SHA-256 of the workbook, the extract and the SQL: they must agree with the
        manifest. To check that the manifest itself is SoxAuto's, compare its SHA-256 values with the ones
        SoxAuto shows for run {{c.Run.Id}} (the run page, the sign-off, or the Verify page).

        """.ReplaceLineEndings("\n");

    /// <summary>Hides the output's ability to seek, so the zip is laid out the same way on every kind of
    /// stream (a file, an HTTP response).</summary>
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) { inner.Write(buffer, offset, count); _written += count; }
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await inner.WriteAsync(buffer, ct);
            _written += buffer.Length;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
    }
}
