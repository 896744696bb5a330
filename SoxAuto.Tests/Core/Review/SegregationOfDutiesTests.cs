using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Periods;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Review;

/// <summary>Segregation of duties: who did the first step may not do the second, and each refusal says why.</summary>
public sealed class SegregationOfDutiesTests
{
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    private static readonly Actor Rita = new("Rita Reviewer", "test") { Subject = TestPeople.SubjectOf("Rita Reviewer") };
    private static readonly Actor Alan = new("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
    private static readonly Actor Beth = new("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") };

    private static Run RunBy(string person, RunState state = RunState.Succeeded) =>
        new() { Id = 7, IpeId = "IPE_09", Period = Period.Month(2025, 9), RequestedBy = person, RequestedBySubject = TestPeople.SubjectOf(person), State = state };

    private static readonly IpeDefinition Definition = new()
    {
        Id = "IPE_09",
        Title = "t",
        Description = "d",
        Control = "c",
        Database = "db",
        Sql = "SELECT 1",
    };

    private static IpeVersion ChangeBy(string person, IpeVersionStatus status = IpeVersionStatus.Draft) =>
        new() { Id = 3, IpeId = "IPE_09", Number = 2, AuthoredBy = person, AuthoredBySubject = TestPeople.SubjectOf(person), Status = status, Definition = Definition };

    [Fact]
    public void The_person_who_ran_a_run_cannot_sign_it_off_and_is_told_why()
    {
        var decision = SegregationOfDuties.MaySignOff(RunBy("Ada Auditor"), Ada with { Name = "Ada Auditor" });

        Assert.False(decision.Allowed);
        Assert.Equal("Ada Auditor ran run 7, so someone else must sign it off (segregation of duties).", decision.Why);
    }

    [Fact]
    public void Two_people_with_one_name_are_two_people_each_may_approve_and_sign_off_the_others_work_never_their_own()
    {
        // Two provider accounts called "Alan Admin", and two called "Ada Auditor" (Alan may sign off as a reviewer would).
        var alan = new Actor("Alan Admin", "test", IsAdmin: true) { Subject = "https://op.example#00u-alan" };
        var otherAlan = alan with { Subject = "https://op.example#00u-alan-2" };
        var change = ChangeBy("Alan Admin");
        change.AuthoredBySubject = alan.Subject;
        var run = RunBy("Alan Admin");
        run.RequestedBySubject = alan.Subject;

        Assert.True(SegregationOfDuties.MayApproveChange(change, otherAlan).Allowed);
        Assert.True(SegregationOfDuties.MaySignOff(run, otherAlan).Allowed);
        Assert.False(SegregationOfDuties.MayApproveChange(change, alan).Allowed);
        Assert.False(SegregationOfDuties.MaySignOff(run, alan).Allowed);
        // Nor does another person of the runner's name count as the runner for cancelling.
        var ada = new Actor("Ada Auditor", "test") { Subject = "https://op.example#00u-ada" };
        var adasRun = RunBy("Ada Auditor", RunState.Running);
        adasRun.RequestedBySubject = ada.Subject;
        Assert.True(SegregationOfDuties.MayCancel(adasRun, ada).Allowed);
        Assert.False(SegregationOfDuties.MayCancel(adasRun, ada with { Subject = "https://op.example#00u-ada-2" }).Allowed);
    }

    [Fact]
    public void What_was_recorded_by_name_only_before_subjects_counts_as_that_names_for_refusing_and_for_nothing_else()
    {
        var legacyRun = RunBy("Ada Auditor", RunState.Running);
        legacyRun.RequestedBySubject = "legacy:Ada Auditor";

        // Whatever the letter case or spaces of the name: the rule that refuses refuses.
        Assert.False(SegregationOfDuties.MaySignOff(legacyRun, new Actor("ada auditor ", "test") { Subject = "ada" }).Allowed);
        // A legacy subject is nobody's own: not even a person whose subject is written the same way may cancel as its runner.
        Assert.False(SegregationOfDuties.MayCancel(legacyRun, new Actor("Ada Auditor", "test") { Subject = "legacy:Ada Auditor" }).Allowed);
        legacyRun.State = RunState.Succeeded;
        Assert.True(SegregationOfDuties.MaySignOff(legacyRun, Rita).Allowed);
    }

    [Fact]
    public void Someone_else_may_sign_off_a_succeeded_run_but_not_a_failed_one()
    {
        Assert.True(SegregationOfDuties.MaySignOff(RunBy("Ada Auditor"), Rita).Allowed);

        var failed = SegregationOfDuties.MaySignOff(RunBy("Ada Auditor", RunState.Failed), Rita);
        Assert.False(failed.Allowed);
        Assert.Contains("only a succeeded run has evidence to sign off", failed.Why);
    }

    [Fact]
    public void Being_an_admin_does_not_let_the_runner_sign_off_their_own_run()
    {
        Assert.False(SegregationOfDuties.MaySignOff(RunBy("Alan Admin"), Alan).Allowed);
    }

    [Fact]
    public void The_author_of_an_SQL_change_cannot_approve_it_and_another_admin_may()
    {
        var own = SegregationOfDuties.MayApproveChange(ChangeBy("Alan Admin"), Alan);
        Assert.False(own.Allowed);
        Assert.Equal("Alan Admin wrote version 2 of IPE_09, so another admin must approve it (segregation of duties).", own.Why);

        Assert.True(SegregationOfDuties.MayApproveChange(ChangeBy("Alan Admin"), Beth).Allowed);
        Assert.False(SegregationOfDuties.MayApproveChange(ChangeBy("Alan Admin", IpeVersionStatus.Active), Beth).Allowed);
    }

    [Fact]
    public void Only_the_runner_or_an_admin_may_cancel()
    {
        Assert.True(SegregationOfDuties.MayCancel(RunBy("Ada Auditor", RunState.Running), Ada).Allowed);
        Assert.True(SegregationOfDuties.MayCancel(RunBy("Ada Auditor", RunState.Running), Alan).Allowed);
        var refused = SegregationOfDuties.MayCancel(RunBy("Ada Auditor", RunState.Running), new Actor("Sam Auditor", "test") { Subject = TestPeople.SubjectOf("Sam Auditor") });
        Assert.False(refused.Allowed);
        Assert.Equal("Only the person who ran run 7 (Ada Auditor) or an admin may cancel it.", refused.Why);
    }

    [Fact]
    public async Task The_service_loads_the_run_refuses_the_runner_and_records_the_refusal_in_the_audit_trail()
    {
        await using var host = await CoreHost.StartAsync();
        var run = await host.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada);
        var duties = host.Get<SegregationOfDuties>();

        var decision = await duties.SignOffAsync(run.Id, new Actor("Ada Auditor", "192.0.2.7") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        var refusal = await Assert.ThrowsAsync<SegregationOfDutiesException>(() =>
            duties.EnsureAsync(decision, new Actor("Ada Auditor", "192.0.2.7") { Subject = TestPeople.SubjectOf("Ada Auditor") }, "run.signoff", $"run/{run.Id}"));

        Assert.Contains("so someone else must sign it off", refusal.Message);
        Assert.False((await duties.SignOffAsync(987654, Rita)).Allowed);
        await using var db = await host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entry = await db.AuditTrail.SingleAsync(a => a.Action == "run.signoff.denied");
        Assert.Equal(("Ada Auditor", $"run/{run.Id}", "192.0.2.7"), (entry.Who, entry.Subject, entry.Origin));
        Assert.Equal(decision.Why, entry.Detail);
        Assert.Null(await host.Get<AuditTrail>().FirstBrokenEntryAsync());
    }
}
