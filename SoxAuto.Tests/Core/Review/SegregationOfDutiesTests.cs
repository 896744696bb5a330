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
    public void The_runner_is_recognised_whatever_the_letter_case_of_the_name()
    {
        Assert.False(SegregationOfDuties.MaySignOff(RunBy("Ada Auditor"), new Actor("ada auditor ", "test") { Subject = TestPeople.SubjectOf("ada auditor ") }).Allowed);
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
