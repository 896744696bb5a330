using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Logging;
using SoxAuto.Core.Access;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Batches;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Packages;
using SoxAuto.Core.Reconciliations;
using SoxAuto.Core.Review;
using SoxAuto.Core.Runs;
using SoxAuto.Core.Schedules;
using SoxAuto.Core.Tokens;

namespace SoxAuto.Core.Data;

public sealed class SoxAutoDb(DbContextOptions<SoxAutoDb> options) : DbContext(options)
{
    public DbSet<IpeVersion> IpeVersions => Set<IpeVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<Procedures.Sampling.Sample> Samples => Set<Procedures.Sampling.Sample>();
    public DbSet<RunCheck> RunChecks => Set<RunCheck>();
    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<SignOff> SignOffs => Set<SignOff>();
    public DbSet<IssuedCertificate> Certificates => Set<IssuedCertificate>();
    public DbSet<ControlVersion> ControlVersions => Set<ControlVersion>();
    public DbSet<ReconciliationLine> ReconciliationLines => Set<ReconciliationLine>();
    public DbSet<ReconciliationInput> ReconciliationInputs => Set<ReconciliationInput>();
    public DbSet<Batch> Batches => Set<Batch>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ScheduleFiring> ScheduleFirings => Set<ScheduleFiring>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<SessionKey> SessionKeys => Set<SessionKey>();

    /// <summary>The provider as configured: SQLite in the data folder, or PostgreSQL (migrations in
    /// <see cref="DatabaseOptions.PostgreSqlMigrations"/>).</summary>
    public static void Configure(DbContextOptionsBuilder o, DatabaseOptions database, DataFolder folder)
    {
        if (database.Kind == DatabaseProvider.PostgreSql)
            o.UseNpgsql(database.ConnectionString, n => n.MigrationsAssembly(DatabaseOptions.PostgreSqlMigrations));
        else
            o.UseSqlite($"Data Source={folder.DatabaseFile};Pooling=False")
                // A migration that rebuilds a SQLite table switches foreign keys off first, which SQLite allows only
                // outside a transaction; EF then rebuilds the table inside one. The warning is expected on every
                // upgrade and would otherwise reach the headless verbs' standard error as a second "message".
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)));
    }

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
            e.Property(r => r.Parameters).HasConversion(JsonConverter<List<ParameterValue>>(), JsonComparer<List<ParameterValue>>());
            e.HasOne(r => r.IpeVersion).WithMany().HasForeignKey(r => r.IpeVersionId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(r => r.Checks).WithOne().HasForeignKey(c => c.RunId);
        });
        m.Entity<RunCheck>(e => e.Property(c => c.Status).HasConversion<string>());
        m.Entity<Run>(e =>
        {
            e.Property(r => r.Kind).HasConversion<string>();
            e.HasOne<ControlVersion>().WithMany().HasForeignKey(r => r.ControlVersionId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<ControlVersion>(e =>
        {
            e.HasIndex(v => new { v.ControlId, v.Number }).IsUnique();
            e.Property(v => v.Definition).HasConversion(JsonConverter<ControlDefinition>());
        });
        m.Entity<ReconciliationLine>(e => e.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId));
        m.Entity<ReconciliationInput>(e =>
        {
            e.HasOne<Run>().WithMany().HasForeignKey(i => i.RunId);
            e.Property(i => i.Role).HasConversion<string>();
        });
        m.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditTrail");
            // No two entries may follow the same one: the database refuses a fork, whoever writes.
            e.HasIndex(a => a.PreviousId).IsUnique();
            // The admin's filters and the access review read by these; the trail is never loaded whole.
            e.HasIndex(a => new { a.Action, a.Subject, a.At });
            e.HasIndex(a => a.Who);
            e.HasIndex(a => a.Subject);
            e.HasIndex(a => a.At);
        });
        m.Entity<Person>(e =>
        {
            e.HasKey(p => p.Subject);
            e.Property(p => p.Roles).HasConversion(JsonConverter<List<RoleGrant>>(), JsonComparer<List<RoleGrant>>());
            e.Property(p => p.Groups).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>());
        });
        m.Entity<SignInSession>(e => { e.HasIndex(s => s.ExpiresAt); e.HasIndex(s => s.Subject); });
        m.Entity<Run>(e => e.HasIndex(r => r.SupersedesRunId));
        // "Own runs" lists find a person's runs by subject.
        m.Entity<Run>(e => e.HasIndex(r => r.RequestedBySubject));
        m.Entity<Run>(e => e.HasIndex(r => r.ReperformanceOf));
        m.Entity<Procedures.Sampling.Sample>(e =>
        {
            e.Property(s => s.Method).HasConversion<string>();
            e.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(s => s.Rows).WithOne().HasForeignKey(r => r.SampleId);
        });
        m.Entity<SignOff>(e =>
        {
            // One decision per run, whoever writes: a second reviewer's save is refused by the database.
            e.HasIndex(s => s.RunId).IsUnique();
            e.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Restrict);
            e.Property(s => s.Decision).HasConversion<string>();
            e.Property(s => s.Files).HasConversion(JsonConverter<List<SignedFile>>(), JsonComparer<List<SignedFile>>());
        });
        m.Entity<IssuedCertificate>(e =>
        {
            e.HasIndex(c => c.Sha256).IsUnique();
            e.HasIndex(c => c.RunId);
        });
        // The sender looks for pending messages that are due.
        m.Entity<Notification>(e => e.HasIndex(n => new { n.State, n.NextAttemptAt }));
        m.Entity<AccessToken>(e =>
        {
            // Unique whatever the case and whoever writes: token:Nightly and token:nightly would be one name to a reader.
            e.Property(t => t.Name).UseCollation(NoCase);
            e.HasIndex(t => t.Name).IsUnique();
            e.HasIndex(t => t.Sha256).IsUnique();
            e.Property(t => t.Scope).HasConversion<string>();
            e.Ignore(t => t.Identity);
        });
        ConfigureBatchesAndSchedules(m);
        m.Entity<SessionKey>(e => e.HasIndex(k => k.Name));
        // SQLite has NOCASE built in; PostgreSQL gets a case-insensitive ICU collation of that name.
        if (Database.IsNpgsql())
            m.HasCollation(NoCase, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
    }

    /// <summary>The collation of names that are unique whatever their letter case.</summary>
    private const string NoCase = "NOCASE";

    private static void ConfigureBatchesAndSchedules(ModelBuilder m)
    {
        m.Entity<Batch>(e =>
        {
            e.ComplexProperty(b => b.Period, p =>
            {
                p.Property(x => x.Kind).HasColumnName("PeriodKind").HasConversion<string>();
                p.Property(x => x.Start).HasColumnName("PeriodStart");
                p.Property(x => x.End).HasColumnName("PeriodEnd");
                p.Ignore(x => x.Text);
                p.Ignore(x => x.NextStart);
            });
            e.HasIndex(b => new { b.ControlId, b.PeriodText });
            e.HasIndex(b => b.EndedAt);
            e.HasMany(b => b.Runs).WithOne().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<Schedule>(e => e.HasIndex(s => s.Name).IsUnique());
        m.Entity<ScheduleFiring>(e =>
        {
            // A firing is claimed by inserting it: the database refuses a second one for the same due time,
            // whichever process (or restart) tries.
            e.HasIndex(f => new { f.ScheduleId, f.DueAt }).IsUnique();
            e.HasOne<Schedule>().WithMany().HasForeignKey(f => f.ScheduleId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne(f => f.Batch).WithMany().HasForeignKey(f => f.BatchId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(f => f.Run).WithMany().HasForeignKey(f => f.RunId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<T> JsonComparer<T>() => new(
        (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
        v => JsonSerializer.Serialize(v, Json).GetHashCode(),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!);

    private static ValueConverter<T, string> JsonConverter<T>() => new(
        v => JsonSerializer.Serialize(v, Json),
        s => JsonSerializer.Deserialize<T>(s, Json)!);

    /// <summary>A moment as stored in a column (for SQL written by hand).</summary>
    internal static string UtcText(DateTimeOffset v) => v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class UtcTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => UtcText(v),
        s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
}
