using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Integration;

/// <summary>Issue 14, items 2 and 3: with SoxAuto:Athena:Credentials = PerUser, whole runs on the Athena emulator whose
/// queries are signed with the requester's own temporary credentials from the fake STS (AWS's STS Query API).</summary>
public sealed class PerPersonCredentialsTests : IClassFixture<DemoLakeFixture>, IAsyncLifetime
{
    private const string AuditorRole = "arn:aws:iam::111122223333:role/soxauto-auditor-readonly";
    private const string ReviewerRole = "arn:aws:iam::111122223333:role/soxauto-reviewer";
    private const string ServiceRole = "arn:aws:iam::111122223333:role/soxauto-service";
    private const string AdminRole = "arn:aws:iam::111122223333:role/soxauto-admin";
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    private AthenaEmulator _emulator = null!;
    private readonly SignInTokens _tokens = new();

    public async Task InitializeAsync()
    {
        _emulator = await AthenaEmulator.StartAsync();
        _emulator.Sts.RoleGroups[AuditorRole] = "sox-auditors";
        _emulator.Sts.RoleGroups[ReviewerRole] = "sox-reviewers";
        _emulator.Sts.RoleGroups[AdminRole] = "sox-admins";
        _emulator.Sts.AssumableRoles[ServiceRole] = true;
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    /// <summary>The sign-in tokens the web app would hold: a fresh ID token on every request, as after a refresh.</summary>
    private sealed class SignInTokens : IPersonTokens
    {
        public ConcurrentDictionary<string, (string Subject, string[] Groups, TimeSpan ValidFor)> People { get; } = new();
        public ConcurrentQueue<string> Issued { get; } = new();

        public Task<PersonToken?> ForRunAsync(EngineRunner runner, CancellationToken ct)
        {
            if (!People.TryGetValue(runner.Requester, out var p)) return Task.FromResult<PersonToken?>(null);
            var token = FakeSts.Token(p.Subject, p.Groups, DateTimeOffset.UtcNow + p.ValidFor);
            Issued.Enqueue(token);
            return Task.FromResult<PersonToken?>(new PersonToken(p.Subject, token, p.Groups));
        }
    }

    private Task<CoreHost> StartAsync(bool serviceRole = true)
    {
        var settings = AthenaTestKit.Settings(_emulator);
        settings["SoxAuto:Athena:Credentials"] = "PerUser";
        settings["SoxAuto:Athena:StsServiceUrl"] = _emulator.Endpoint;
        settings["SoxAuto:Athena:Roles:0:Group"] = "sox-auditors";
        settings["SoxAuto:Athena:Roles:0:RoleArn"] = AuditorRole;
        settings["SoxAuto:Athena:Roles:1:Group"] = "sox-reviewers";
        settings["SoxAuto:Athena:Roles:1:RoleArn"] = ReviewerRole;
        settings["SoxAuto:Athena:Roles:2:Group"] = "sox-admins";
        settings["SoxAuto:Athena:Roles:2:RoleArn"] = AdminRole;
        if (serviceRole) settings["SoxAuto:Athena:ServiceRoleArn"] = ServiceRole;
        return CoreHost.StartAsync(null, settings, s =>
        {
            s.AddSingleton<AwsCredentialsSource>(new FixedAwsCredentialsSource(AthenaTestKit.Credentials));
            s.AddSingleton<IPersonTokens>(_tokens);
        });
    }

    private async Task<Run> RunAsync(CoreHost app, Actor who) =>
        await app.WaitForFinalAsync((await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, who)).Id, TimeSpan.FromMinutes(2));

    [Fact]
    public async Task A_persons_run_sends_their_token_uses_their_session_name_and_signs_every_Athena_request_with_the_temporary_credentials()
    {
        _tokens.People[Ada.Subject] = ("00u-ada", ["sox-auditors"], TimeSpan.FromHours(1));
        await using var app = await StartAsync();

        var run = await RunAsync(app, Ada);

        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        var exchange = Assert.Single(_emulator.Sts.Calls, c => c.Action == "AssumeRoleWithWebIdentity");
        Assert.Equal(Assert.Single(_tokens.Issued), exchange.Token);   // the person's own token was sent
        Assert.Equal(("00u-ada", "soxauto-00u-ada", AuditorRole), (exchange.Subject, exchange.SessionName, exchange.RoleArn));
        const string arn = "arn:aws:sts::111122223333:assumed-role/soxauto-auditor-readonly/soxauto-00u-ada";
        Assert.NotEmpty(_emulator.SignedWith);
        Assert.All(_emulator.SignedWith, key => Assert.Equal(arn, _emulator.Sts.ArnOf(key)));
        Assert.DoesNotContain(_emulator.Sts.Calls, c => c.Action == "AssumeRole");
        // The evidence names the AWS identity that ran the queries.
        Assert.EndsWith($" as {arn} (session soxauto-00u-ada)", run.Engine);
    }

    [Fact]
    public async Task On_a_run_longer_than_its_credentials_they_are_renewed_with_a_fresh_token_and_no_request_is_signed_with_expired_ones()
    {
        _tokens.People[Ada.Subject] = ("00u-ada", ["sox-auditors"], TimeSpan.FromHours(1));
        _emulator.Sts.Lifetime = TimeSpan.FromSeconds(6);
        _emulator.QueuedFor = TimeSpan.FromSeconds(10);
        await using var app = await StartAsync();

        var run = await RunAsync(app, Ada);

        // The emulator refuses expired credentials, so success means every request was signed with live ones.
        Assert.True(run.State == RunState.Succeeded, $"{run.State}: {run.Message}");
        var exchanges = _emulator.Sts.Calls.Where(c => c.Action == "AssumeRoleWithWebIdentity").ToList();
        Assert.True(exchanges.Count >= 2, $"{exchanges.Count} exchange(s)");
        Assert.All(exchanges, e => Assert.Equal(("00u-ada", "soxauto-00u-ada", null), (e.Subject, e.SessionName, e.Error)));
        Assert.Equal(_tokens.Issued.ToList(), exchanges.Select(e => e.Token!).ToList());   // each renewal asked for the person's current token
        Assert.True(_emulator.SignedWith.Distinct().Count() >= 2);
        // Renewed only once a third of the lifetime was left, not on every request. (Renewal is made on the next signed
        // request, as AWS's own SDKs do, so a run idle past the expiry renews after it: never signing with the old set.)
        var third = _emulator.Sts.Lifetime.Value / 3;
        for (var i = 1; i < exchanges.Count; i++)
            Assert.True(exchanges[i].At >= exchanges[i - 1].Expires - third - TimeSpan.FromMilliseconds(50),
                $"renewal {i} at {exchanges[i].At:O}, previous set expires {exchanges[i - 1].Expires:O}: renewed too early");
    }

    public static TheoryData<string, string[], int, string> Refusals => new()
    {
        { "expired token", ["sox-auditors"], -5, "Your sign-in has expired, so AWS would not issue credentials for you (STS ExpiredTokenException" },
        { "role the trust policy refuses", ["sox-reviewers"], 60, "You may not assume the AWS role " + ReviewerRole },
        { "no group mapped", ["finance"], 60, "None of your groups (finance) is mapped to an AWS role (SoxAuto:Athena:Roles)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_run_whose_requester_cannot_get_AWS_credentials_ends_Failed_with_the_reason_and_an_audit_entry_and_runs_nothing(
        string what, string[] groups, int validForMinutes, string reason)
    {
        _tokens.People[Ada.Subject] = ("00u-ada", groups, TimeSpan.FromMinutes(validForMinutes));
        if (what == "role the trust policy refuses") _emulator.Sts.RoleGroups[ReviewerRole] = "sox-reviewers-of-another-team";
        await using var app = await StartAsync();

        var run = await RunAsync(app, Ada);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains(reason, run.Message);
        Assert.StartsWith("The run could not use its requester's AWS identity:", run.Message);
        Assert.Equal(0, _emulator.QueriesLaunched);
        Assert.Empty(_emulator.SignedWith);   // never signed as anyone else either
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var entry = await db.AuditTrail.SingleAsync(e => e.Action == "run.aws-identity.refused");
        Assert.Equal(("Ada Auditor", $"run/{run.Id}"), (entry.Who, entry.Subject));
        Assert.Contains(reason, entry.Detail);
        Assert.All(_tokens.Issued, token => Assert.DoesNotContain(token, entry.Detail));
    }

    [Fact]
    public async Task Scheduled_and_API_runs_assume_the_service_role_with_a_session_named_after_their_service_identity()
    {
        await using var app = await StartAsync();

        var scheduled = await RunAsync(app, new Actor("schedule:nightly", "system") { Subject = TestPeople.SubjectOf("schedule:nightly") });
        var api = await RunAsync(app, new Actor("token:ci", "api") { Subject = TestPeople.SubjectOf("token:ci") });

        Assert.True(scheduled.State == RunState.Succeeded, $"{scheduled.State}: {scheduled.Message}");
        Assert.True(api.State == RunState.Succeeded, $"{api.State}: {api.Message}");
        Assert.Equal(["soxauto-schedule-nightly", "soxauto-token-ci"],
            _emulator.Sts.Calls.Where(c => c.Action == "AssumeRole").Select(c => c.SessionName));
        Assert.All(_emulator.Sts.Calls.Where(c => c.Action == "AssumeRole"), c => Assert.Equal(ServiceRole, c.RoleArn));
        Assert.DoesNotContain(_emulator.Sts.Calls, c => c.Action == "AssumeRoleWithWebIdentity");
        Assert.Empty(_tokens.Issued);
        Assert.EndsWith("assumed-role/soxauto-service/soxauto-schedule-nightly (session soxauto-schedule-nightly)", scheduled.Engine);
        Assert.All(_emulator.SignedWith, key => Assert.StartsWith("arn:aws:sts::111122223333:assumed-role/soxauto-service/", _emulator.Sts.ArnOf(key)));
    }

    [Fact]
    public async Task Without_a_service_role_a_headless_run_is_refused_instead_of_running_as_the_server()
    {
        await using var app = await StartAsync(serviceRole: false);

        var run = await RunAsync(app, new Actor("cli:ops", "cli") { Subject = TestPeople.SubjectOf("cli:ops") });

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("SoxAuto:Athena:ServiceRoleArn, which is not set", run.Message);
        Assert.Equal(0, _emulator.QueriesLaunched);
        Assert.Empty(_emulator.Sts.Calls);
    }

    [Fact]
    public async Task Renewal_refused_mid_run_stops_the_Athena_query_as_the_requester_before_the_run_ends_Failed()
    {
        _tokens.People[Ada.Subject] = ("00u-ada", ["sox-auditors"], TimeSpan.FromHours(1));
        _emulator.Sts.Lifetime = TimeSpan.FromSeconds(15);
        _emulator.QueuedFor = TimeSpan.FromSeconds(90);
        await using var app = await StartAsync();
        var runId = (await app.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, Ada)).Id;
        var running = await app.WaitForExecutionAsync(runId);

        _tokens.People.TryRemove(Ada.Subject, out _);   // as if Ada signed out: the renewal finds no token
        var run = await app.WaitForFinalAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("could not be renewed", run.Message);
        Assert.Equal("CANCELLED", _emulator.StateOf(running.ExecutionId!));
        Assert.Equal(1, _emulator.CallsOf("StopQueryExecution"));
        // Stopped with Ada's credentials still in hand, never as anyone else.
        Assert.All(_emulator.SignedWith, key => Assert.EndsWith("/soxauto-00u-ada", _emulator.Sts.ArnOf(key)));
        Assert.Single(_emulator.Sts.Calls, c => c.Action == "AssumeRoleWithWebIdentity");
    }

    [Fact]
    public async Task An_admins_trial_and_the_EXPLAIN_of_their_change_run_under_their_own_AWS_identity()
    {
        var alan = new Actor("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") };
        _tokens.People[alan.Subject] = ("00u-alan", ["sox-admins"], TimeSpan.FromHours(1));
        await using var app = await StartAsync();
        var ipe = SeedCatalog.All.Single(i => i.Id == "IPE_09");

        var (trial, _) = await app.Get<IpeChanges>().TrialAsync(ipe, "2025-09", null, alan);
        var problems = await app.Get<IpeChanges>().CheckAsync(ipe, alan);

        Assert.NotEmpty(trial.Rows);
        Assert.Empty(problems);
        var exchanges = _emulator.Sts.Calls.Where(c => c.Action == "AssumeRoleWithWebIdentity").ToList();
        Assert.Equal(2, exchanges.Count);   // one for the trial, one for the EXPLAINs of the change
        Assert.All(exchanges, e => Assert.Equal(("00u-alan", "soxauto-00u-alan", AdminRole), (e.Subject, e.SessionName, e.RoleArn)));
        Assert.NotEmpty(_emulator.SignedWith);
        Assert.All(_emulator.SignedWith, key => Assert.Equal("arn:aws:sts::111122223333:assumed-role/soxauto-admin/soxauto-00u-alan", _emulator.Sts.ArnOf(key)));
    }
}
