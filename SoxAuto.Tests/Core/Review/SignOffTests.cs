using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core;
using SoxAuto.Core.Data;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;
using static SoxAuto.Tests.Fixtures.ReviewHost;

namespace SoxAuto.Tests.Core.Review;

/// <summary>The sign-off service, the one every surface calls: decisions with comments, segregation of
/// duties, justifications for checks that did not pass, re-runs of rejected runs.</summary>
public sealed class SignOffTests(ReviewHost review) : IClassFixture<ReviewHost>
{
    private ReviewService Reviews => review.Host.Get<ReviewService>();

    [Fact]
    public async Task An_approval_records_who_when_the_comment_and_the_SHA256_of_every_file_and_leaves_the_files_unchanged()
    {
        var run = await review.SucceededRunAsync(Ada);
        var folder = review.Host.Get<DataFolder>();
        var before = Sha256(folder.Absolute(run.WorkbookPath!)) + Sha256(folder.Absolute(run.ExtractPath!));

        var signOff = await Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "Totals agree with the G/L.", null, Rita);

        Assert.Equal(("Rita Reviewer", SignOffDecision.Approved, "Totals agree with the G/L."), (signOff.By, signOff.Decision, signOff.Comment));
        Assert.True(DateTimeOffset.UtcNow - signOff.At < TimeSpan.FromMinutes(5));
        Assert.Equal([$"{run.FileStem}.xlsx", $"{run.FileStem}.csv", $"{run.FileStem}.sql"], signOff.Files.Select(f => f.Name));
        Assert.Equal(run.WorkbookSha256, signOff.Files[0].Sha256);
        Assert.Equal(run.ExtractSha256, signOff.Files[1].Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(run.ExecutedSql!))), signOff.Files[2].Sha256);
        // Signing off adds a record; the evidence files are exactly as they were.
        Assert.Equal(before, Sha256(folder.Absolute(run.WorkbookPath!)) + Sha256(folder.Absolute(run.ExtractPath!)));
        var stored = await Reviews.SignOffOfAsync(run.Id);
        Assert.Equal(signOff.Files, stored!.Files);
        await AssertAuditedAsync("signoff.approved", run.Id, "Rita Reviewer", "Totals agree with the G/L.");
        Assert.DoesNotContain(await Reviews.QueueAsync(), i => i.Run.Id == run.Id);
    }

    [Fact]
    public async Task A_rejection_needs_a_comment_and_is_recorded_with_it()
    {
        var run = await review.SucceededRunAsync(Ada);
        Assert.Contains(await Reviews.QueueAsync(), i => i.Run.Id == run.Id);

        var none = await Assert.ThrowsAsync<ReviewException>(() => Reviews.SignOffAsync(run.Id, SignOffDecision.Rejected, "  ", null, Rita));
        Assert.Contains("needs a comment", none.Message);
        var signOff = await Reviews.SignOffAsync(run.Id, SignOffDecision.Rejected, "Wrong period: the control needs 2025-08.", null, Rita);

        Assert.Equal(SignOffDecision.Rejected, signOff.Decision);
        Assert.Equal("Wrong period: the control needs 2025-08.", (await Reviews.SignOffOfAsync(run.Id))!.Comment);
        await AssertAuditedAsync("signoff.rejected", run.Id, "Rita Reviewer", "Wrong period");
    }

    [Fact]
    public async Task The_person_who_ran_a_run_cannot_sign_it_off_whatever_their_roles_and_the_refusal_is_audited()
    {
        var run = await review.SucceededRunAsync(Casey);

        var refused = await Assert.ThrowsAsync<SegregationOfDutiesException>(
            () => Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "Looks fine.", null, Casey));

        Assert.Contains("someone else must sign it off", refused.Message);
        Assert.Null(await Reviews.SignOffOfAsync(run.Id));
        await AssertAuditedAsync("signoff.denied", run.Id, "Casey Controller", "segregation of duties");
    }

    [Fact]
    public async Task Approving_a_run_with_a_failed_check_is_refused_without_a_written_justification_and_recorded_with_one()
    {
        var run = await review.SucceededRunAsync(Ada, FailingIpe);
        Assert.Contains(run.Checks, c => c.Status == SoxAuto.Core.Checks.CheckStatus.Failed);
        Assert.True((await Reviews.QueueAsync()).Single(i => i.Run.Id == run.Id).NeedsJustification);

        var refused = await Assert.ThrowsAsync<ReviewException>(
            () => Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "Fine.", "   ", Rita));
        Assert.Contains("needs a written justification", refused.Message);
        Assert.Null(await Reviews.SignOffOfAsync(run.Id));

        var signOff = await Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "Fine.", "The notes column is optional in this control.", Rita);
        Assert.Equal("The notes column is optional in this control.", signOff.Justification);
    }

    [Fact]
    public async Task A_run_is_signed_off_once()
    {
        var run = await review.SucceededRunAsync(Ada);
        await Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "ok", null, Rita);

        var again = await Assert.ThrowsAsync<ReviewException>(() => Reviews.SignOffAsync(run.Id, SignOffDecision.Rejected, "no", null, Casey));

        Assert.Equal(ReviewRefusal.AlreadyDecided, again.Reason);
        Assert.Contains("already approved by Rita Reviewer", again.Message);
    }

    [Fact]
    public async Task A_stored_file_altered_after_the_run_cannot_be_signed_off_and_the_alteration_is_audited()
    {
        var run = await review.SucceededRunAsync(Ada);
        var extract = review.Host.Get<DataFolder>().Absolute(run.ExtractPath!);
        File.SetAttributes(extract, FileAttributes.Normal); // published files are read-only: a tamperer clears that first
        var bytes = await File.ReadAllBytesAsync(extract);
        bytes[^2] ^= 1;
        await File.WriteAllBytesAsync(extract, bytes);

        var refused = await Assert.ThrowsAsync<ReviewException>(() => Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "ok", null, Rita));

        Assert.Contains("no longer matches its record", refused.Message);
        Assert.Null(await Reviews.SignOffOfAsync(run.Id));
        await AssertAuditedAsync("evidence.altered", run.Id, "Rita Reviewer", run.FileStem + ".csv");
    }

    [Fact]
    public async Task A_rejected_run_is_re_run_once_and_the_new_run_records_the_run_it_supersedes()
    {
        var run = await review.SucceededRunAsync(Ada);
        var early = await Assert.ThrowsAsync<ReviewException>(() => Reviews.RerunAsync(run.Id, Ada));
        Assert.Contains("Only a rejected run is re-run", early.Message);
        await Reviews.SignOffAsync(run.Id, SignOffDecision.Rejected, "Re-run it after the late postings.", null, Rita);

        var rerun = await Reviews.RerunAsync(run.Id, Ada);

        Assert.Equal(run.Id, rerun.SupersedesRunId);
        Assert.Equal((run.IpeId, run.PeriodText, "Ada Auditor"), (rerun.IpeId, rerun.PeriodText, rerun.RequestedBy));
        Assert.Equal((run.Id, (int?)rerun.Id), (run.Id, (await Reviews.LinksAsync(run)).SupersededBy));
        var twice = await Assert.ThrowsAsync<ReviewException>(() => Reviews.RerunAsync(run.Id, Ada));
        Assert.Contains($"already been re-run as run {rerun.Id}", twice.Message);
        await review.Host.WaitForFinalAsync(rerun.Id);
    }

    [Fact]
    public async Task A_sign_off_cannot_be_changed_or_removed_in_the_database()
    {
        var run = await review.SucceededRunAsync(Ada);
        await Reviews.SignOffAsync(run.Id, SignOffDecision.Approved, "ok", null, Rita);
        await using var db = await review.Host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlAsync($"UPDATE SignOffs SET Decision = 'Rejected' WHERE RunId = {run.Id}"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlAsync($"DELETE FROM SignOffs WHERE RunId = {run.Id}"));
        Assert.Equal(SignOffDecision.Approved, (await Reviews.SignOffOfAsync(run.Id))!.Decision);
    }

    private async Task AssertAuditedAsync(string action, int runId, string who, string detail)
    {
        await using var db = await review.Host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entries = await db.AuditTrail.Where(a => a.Action == action && a.Subject == $"run/{runId}").ToListAsync();
        Assert.Contains(entries, e => e.Who == who && e.Detail.Contains(detail, StringComparison.Ordinal));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
