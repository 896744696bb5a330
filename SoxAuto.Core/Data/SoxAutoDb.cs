using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Data;

public sealed class SoxAutoDb(DbContextOptions<SoxAutoDb> options) : DbContext(options)
{
    public DbSet<IpeVersion> IpeVersions => Set<IpeVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunCheck> RunChecks => Set<RunCheck>();
    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<Notification> Notifications => Set<Notification>();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // SQLite has no date-time type; fixed-width UTC text sorts and compares correctly and stays readable.
        b.Properties<DateTimeOffset>().HaveConversion<UtcTextConverter>();
        b.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder m)
    {
        m.Entity<IpeVersion>(e =>
        {
            e.HasIndex(v => new { v.IpeId, v.Number }).IsUnique();
            e.Property(v => v.Definition).HasConversion(JsonConverter<IpeDefinition>());
            e.Property(v => v.Status).HasConversion<string>();
            e.Property(v => v.ChangeKind).HasConversion<string>();
        });
        m.Entity<Run>(e =>
        {
            e.HasIndex(r => new { r.IpeId, r.PeriodText });
            e.HasIndex(r => r.State);
            // Every save of a run by its executor checks that it still holds the run: if another process
            // has taken it over, the save fails instead of overwriting the new owner's work.
            e.Property(r => r.Owner).IsConcurrencyToken();
            e.Property(r => r.State).HasConversion<string>();
            // The period's parts keep the columns they had before Period was one property.
            e.ComplexProperty(r => r.Period, p =>
            {
                p.Property(x => x.Kind).HasColumnName("PeriodKind").HasConversion<string>();
                p.Property(x => x.Start).HasColumnName("PeriodStart");
                p.Property(x => x.End).HasColumnName("PeriodEnd");
                p.Ignore(x => x.Text);
                p.Ignore(x => x.NextStart);
            });
            e.Property(r => r.Parameters).HasConversion(JsonConverter<List<ParameterValue>>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<ParameterValue>>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    v => JsonSerializer.Serialize(v, Json).GetHashCode(),
                    v => JsonSerializer.Deserialize<List<ParameterValue>>(JsonSerializer.Serialize(v, Json), Json)!));
            e.HasOne(r => r.IpeVersion).WithMany().HasForeignKey(r => r.IpeVersionId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(r => r.Checks).WithOne().HasForeignKey(c => c.RunId);
        });
        m.Entity<RunCheck>(e => e.Property(c => c.Status).HasConversion<string>());
        m.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditTrail");
            // No two entries may follow the same one: the database refuses a fork, whoever writes.
            e.HasIndex(a => a.PreviousId).IsUnique();
        });
        m.Entity<SignInSession>(e => e.HasIndex(s => s.ExpiresAt));
        // The sender looks for pending messages that are due.
        m.Entity<Notification>(e => e.HasIndex(n => new { n.State, n.NextAttemptAt }));
    }

    private static ValueConverter<T, string> JsonConverter<T>() => new(
        v => JsonSerializer.Serialize(v, Json),
        s => JsonSerializer.Deserialize<T>(s, Json)!);

    private sealed class UtcTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
}
