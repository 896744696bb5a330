using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using SoxAuto.Core.Admin;
using SoxAuto.Core.Audit;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Settings;

/// <summary>Settings live outside the app, so each start is recorded with the settings in effect, and a
/// setting that differs from the previous start's is recorded as a change; secrets only as set or not.</summary>
public sealed class SettingsRecordTests
{
    [Fact]
    public async Task Each_start_is_recorded_and_a_setting_changed_since_the_previous_start_is_named_with_both_values()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);

        await Record(trail, database, ("SoxAuto:Engine", "Local"), ("SoxAuto:Auth:Oidc:ClientSecret", "s3cret-1"), ("SoxAuto:PollInterval", "00:00:01"));
        await Record(trail, database, ("SoxAuto:Engine", "Athena"), ("SoxAuto:Auth:Oidc:ClientSecret", "s3cret-2"), ("SoxAuto:Athena:Workgroup", "sox"));

        await using var db = await database.Dbs.CreateDbContextAsync();
        var entries = await db.AuditTrail.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["app.started", "app.started", "settings.changed"], entries.Select(e => e.Action));
        Assert.Contains("\"SoxAuto:Auth:Oidc:ClientSecret\":\"(set)\"", entries[0].Detail);
        Assert.DoesNotContain(entries, e => e.Detail.Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal("SoxAuto:Athena:Workgroup: (not set) -> sox; SoxAuto:Engine: Local -> Athena; SoxAuto:PollInterval: 00:00:01 -> (not set)",
            entries[2].Detail);
    }

    [Fact]
    public async Task A_start_with_the_same_settings_records_no_change()
    {
        await using var database = await TestDatabase.CreateAsync();
        var trail = new AuditTrail(database.Dbs, TimeProvider.System, NullLogger<AuditTrail>.Instance);

        await Record(trail, database, ("SoxAuto:Engine", "Local"));
        await Record(trail, database, ("SoxAuto:Engine", "Local"));

        await using var db = await database.Dbs.CreateDbContextAsync();
        Assert.Equal(["app.started", "app.started"], await db.AuditTrail.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    private static Task Record(AuditTrail trail, TestDatabase database, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var environment = new HostingEnvironment { EnvironmentName = "Production" };
        return new SettingsRecord(configuration, environment, database.Dbs, trail).RecordStartAsync(CancellationToken.None);
    }
}
