using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Data;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The reconcile verb as an operator starts it: a separate process, one JSON object on standard
/// output, the exit code saying whether the period reconciles.</summary>
public class HeadlessReconcileTests
{
    [Fact]
    public async Task Reconcile_exits_3_with_the_planted_difference_0_once_an_approved_threshold_covers_it_and_1_when_an_IPE_of_the_control_fails()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        // 1. The planted difference is outside the default threshold of 1,000 KES.
        var (exit, stdout, stderr) = await ReconcileAsync(data);
        Assert.True(exit == 3, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal("Succeeded", root.GetProperty("status").GetString());
            Assert.False(root.GetProperty("reconciles").GetBoolean());
            Assert.Equal(1, root.GetProperty("thresholdsVersion").GetInt32());
            Assert.Equal(root.GetProperty("workbookSha256").GetString(), Sha256(root.GetProperty("xlsx").GetString()!));
            var lines = root.GetProperty("lines").EnumerateArray().ToList();
            Assert.Equal(99, lines.Count);
            var outside = Assert.Single(lines, l => l.GetProperty("status").GetString() == "outside");
            Assert.Equal(("13024", "EC_KE", "KES", 327_110.00m, 577_110.00m, 250_000.00m, 1_000m),
                (outside.GetProperty("glAccount").GetString(), outside.GetProperty("company").GetString(), outside.GetProperty("currency").GetString(),
                 outside.GetProperty("ipeTotal").GetDecimal(), outside.GetProperty("glBalance").GetDecimal(), outside.GetProperty("difference").GetDecimal(),
                 outside.GetProperty("threshold").GetDecimal()));
            var small = lines.Single(l => l.GetProperty("glAccount").GetString() == "18304" && l.GetProperty("company").GetString() == "JM_EG");
            Assert.Equal((420.50m, "within"), (small.GetProperty("difference").GetDecimal(), small.GetProperty("status").GetString()));
            Assert.Equal(97, lines.Count(l => l.GetProperty("difference").GetDecimal() == 0m));
        }

        // 2. An admin raises EC_KE 13024's threshold; a second admin approves it.
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            var controls = app.Get<ControlChanges>();
            var active = (await controls.ActiveAsync("C-PG-1"))!;
            var draft = await controls.SaveDraftAsync(active.Definition with
            {
                Thresholds = [new("13024", "EC_KE", 260_000m, "Manual journal MJ-KE-2025-09-017 under review")],
            }, "Temporary, until the partner's statement arrives", new Actor("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") });
            await controls.ApproveAsync(draft.Id, null, new Actor("Beth Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Beth Admin") });
        }
        (exit, stdout, stderr) = await ReconcileAsync(data);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.True(root.GetProperty("reconciles").GetBoolean());
            Assert.Equal(2, root.GetProperty("thresholdsVersion").GetInt32());
            var line = root.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("company").GetString() == "EC_KE" && l.GetProperty("glAccount").GetString() == "13024");
            Assert.Equal((250_000.00m, 260_000m, "within"), (line.GetProperty("difference").GetDecimal(), line.GetProperty("threshold").GetDecimal(), line.GetProperty("status").GetString()));
        }

        // 3. A new IPE of the control that fails on the engine: the reconciliation fails with its reason, no lines.
        await using (var app = await CoreHost.StartAsync(data.Folder.Root))
        {
            await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
            db.IpeVersions.Add(new IpeVersion
            {
                IpeId = "IPE_BROKEN",
                Number = 1,
                Status = IpeVersionStatus.Active,
                AuthoredBy = "test",
                AuthoredBySubject = TestPeople.SubjectOf("test"),
                ApprovedBy = "test2",
                Definition = TestIpes.Definition("IPE_BROKEN", "SELECT company, amount FROM no_such_table WHERE day <= {{period_end}}") with
                {
                    Control = "C-PG-1",
                    GlAccounts = ["13024"],
                    Reconciliation = new() { AmountColumn = "amount", CompanyColumn = "company", GlAccount = "13024" },
                },
            });
            await db.SaveChangesAsync();
        }
        (exit, stdout, stderr) = await ReconcileAsync(data);
        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal("Failed", root.GetProperty("status").GetString());
            Assert.False(root.GetProperty("reconciles").GetBoolean());
            Assert.Contains("IPE_BROKEN run", root.GetProperty("message").GetString());
            Assert.Contains("no_such_table", root.GetProperty("message").GetString());
            Assert.Empty(root.GetProperty("lines").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("workbookSha256").ValueKind);
        }
    }

    [Fact]
    public async Task Reconciling_a_control_that_is_not_in_the_catalog_exits_1_with_the_reason()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.HeadlessAsync(data.Folder.Root, "reconcile", "C-XX-9", "--period", "2025-09");

        Assert.Equal(1, exit);
        Assert.Contains("There is no control called 'C-XX-9'", stderr);
        Assert.Equal("", stdout.Trim());
    }

    private static Task<(int Exit, string Stdout, string Stderr)> ReconcileAsync(TempDataFolder data) =>
        ChildProcess.HeadlessAsync(data.Folder.Root, "reconcile", "C-PG-1", "--period", "2025-09");

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
