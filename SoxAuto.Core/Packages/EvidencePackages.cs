using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Packages;

/// <summary>
/// A run's evidence package, built on demand (not stored): it is deterministic, so building it again
/// for the same run state gives the same bytes. The run is opened through the one door
/// (<see cref="RunAccess"/>); the certificate's SHA-256 is recorded as it is issued, so that the verify
/// page can recognise it later.
/// </summary>
public sealed class EvidencePackages(RunAccess access, ReviewService reviews, IDbContextFactory<SoxAutoDb> dbs,
    IEvidenceStore store, AuditTrail audit, TimeProvider clock)
{
    /// <summary>What the package of run <paramref name="runId"/> holds, or null when the run does not exist,
    /// <paramref name="who"/> may not see it, or it has no evidence (it did not succeed).</summary>
    public async Task<PackageContents?> OpenAsync(int runId, Actor who, string through, CancellationToken ct = default)
    {
        var run = await access.OpenAsync(runId, who, through, ct);
        if (run is not { State: RunState.Succeeded }) return null;
        var signOff = await reviews.SignOffOfAsync(runId, ct);
        var files = RunFiles.Of(run);
        if (files.Count == 0) return null;
        var certificate = Certificate.Write(run, signOff, files, PackageManifest.ControlTotals(run));
        await RecordCertificateAsync(run.Id, signOff?.Id, certificate, ct);
        return new PackageContents(run, signOff, files, certificate);
    }

    /// <summary>Writes the package; <paramref name="action"/> (package.downloaded, package.built) goes to
    /// the audit trail once it is complete. A stored file that no longer matches its record stops it
    /// (<see cref="EvidenceAlteredException"/>), and that is recorded too.</summary>
    public async Task WriteAsync(PackageContents contents, Stream output, Actor who, string action, CancellationToken ct = default)
    {
        try
        {
            await EvidencePackage.WriteAsync(contents, store, output, ct);
        }
        catch (EvidenceAlteredException e)
        {
            await audit.RecordAsync(who, "evidence.altered", $"run/{contents.Run.Id}", e.Message, CancellationToken.None);
            throw;
        }
        await audit.RecordAsync(who, action, $"run/{contents.Run.Id}",
            $"{contents.FileName}; {(contents.SignOff is { } s ? $"sign-off {s.Decision.ToString().ToLowerInvariant()} by {s.By}" : "not signed off")}",
            ct);
    }

    private async Task RecordCertificateAsync(int runId, int? signOffId, byte[] certificate, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(certificate));
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Certificates.AnyAsync(c => c.Sha256 == sha, ct)) return;
        db.Certificates.Add(new IssuedCertificate { Sha256 = sha, Bytes = certificate.Length, RunId = runId, SignOffId = signOffId, FirstIssuedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another process issued the same certificate at the same moment (the SHA-256 is unique): it is
            // recorded either way; anything else is a real failure.
            await using var again = await dbs.CreateDbContextAsync(ct);
            if (!await again.Certificates.AnyAsync(c => c.Sha256 == sha, ct)) throw;
        }
    }
}
