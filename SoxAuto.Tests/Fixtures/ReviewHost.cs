using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Tests.Fixtures;

/// <summary>One core host (real SQLite, the demo lake, the worker) shared by the tests of a class, with
/// helpers for the runs a review needs: a succeeded run by someone, and one whose check failed.</summary>
public sealed class ReviewHost : IAsyncLifetime
{
    /// <summary>An IPE whose required column is always NULL: its run succeeds with a Failed check.</summary>
    public const string FailingIpe = "IPE_TFAIL";

    public static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };
    public static readonly Actor Rita = new("Rita Reviewer", "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Rita Reviewer") };
    public static readonly Actor Casey = new("Casey Controller", "test", SeesEveryRun: true) { Subject = TestPeople.SubjectOf("Casey Controller") };

    public CoreHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await CoreHost.StartAsync();
        await using var db = await Host.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        db.IpeVersions.Add(new IpeVersion
        {
            IpeId = FailingIpe,
            Number = 1,
            Status = IpeVersionStatus.Active,
            AuthoredBy = "test",
            AuthoredBySubject = TestPeople.SubjectOf("test"),
            ApprovedBy = "test2",
            Definition = TestIpes.Definition(FailingIpe, "SELECT 1 AS id, CAST(NULL AS VARCHAR) AS note WHERE {{period_end}} IS NOT NULL") with
            {
                Checks = new CheckSettings { RequiredColumns = ["note"] },
            },
        });
        await db.SaveChangesAsync();
    }

    public async Task<Run> SucceededRunAsync(Actor by, string ipe = "IPE_09", string period = "2025-09")
    {
        var run = await Host.Get<RunService>().RequestAsync(ipe, period, null, by);
        var done = await Host.WaitForFinalAsync(run.Id);
        Assert.True(done.State == RunState.Succeeded, done.Message);
        return done;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
