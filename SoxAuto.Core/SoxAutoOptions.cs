using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core;

/// <summary>The engines that can run IPE SQL.</summary>
public enum EngineKind { Local, Athena }

/// <summary>The "SoxAuto" configuration section. Every key is documented in docs/configuration.md.</summary>
public sealed class SoxAutoOptions : IValidatableObject
{
    public const string Section = "SoxAuto";

    /// <summary>The one folder holding all state: database, demo lake, engine results, evidence.
    /// Relative paths are resolved against the app's content root.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>The demo lake's folder; empty means "lake" inside the data folder. Tests point many
    /// app instances at one generated lake.</summary>
    public string? LakePath { get; set; }

    /// <summary>Which engine runs IPE SQL: Local (DuckDB over the demo lake) or Athena (Amazon Athena,
    /// configured under SoxAuto:Athena), in any letter case. The text as configured; code compares
    /// <see cref="EngineKind"/>.</summary>
    [RegularExpression("^(?i:local|athena)$", ErrorMessage = "SoxAuto:Engine must be Local or Athena.")]
    public string Engine { get; set; } = nameof(EngineKind.Local);

    public EngineKind EngineKind => Parse(Engine);

    /// <summary>The engine as configured, read before the options are bound, since registration picks
    /// the engine's services by it. An unknown name gives Local here; validating the options then
    /// stops the start with the message above.</summary>
    public static EngineKind EngineIn(IConfiguration configuration) => Parse(configuration[$"{Section}:{nameof(Engine)}"]);

    private static EngineKind Parse(string? name)
        => Enum.TryParse<EngineKind>(name, ignoreCase: true, out var engine) && Enum.IsDefined(engine) ? engine : EngineKind.Local;

    /// <summary>How many runs the background worker executes at the same time.</summary>
    [Range(1, 32)]
    public int WorkerConcurrency { get; set; } = 2;

    /// <summary>How often a running query's status is polled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rows kept per data sheet; Excel's limit is 1,048,576 rows including the header.</summary>
    [Range(1, ExcelLimits.DataRowsPerSheet)]
    public int MaxRowsPerSheet { get; set; } = ExcelLimits.DataRowsPerSheet;

    /// <summary>Above this many rows the workbook holds every sheet but the data: a workbook of millions
    /// of rows is more than Excel opens comfortably, and the stored extract carries the complete data.</summary>
    [Range(1, int.MaxValue)]
    public int MaxWorkbookRows { get; set; } = 5_000_000;

    /// <summary>How long a process holds a run it executes without renewing its lease. After a crash, the
    /// run waits this long before another process takes it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "SoxAuto:RunLeaseDuration must be between 00:00:01 and 01:00:00.")]
    public TimeSpan RunLeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the executing process renews its runs' leases, and how often the web app looks
    /// for runs whose lease has expired.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "SoxAuto:RunLeaseRenewInterval must be between 00:00:00.050 and 00:10:00.")]
    public TimeSpan RunLeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the web app reads the progress of runs other processes execute (another instance, a
    /// headless run) from the database, for the pages open on it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "SoxAuto:ProgressPollInterval must be between 00:00:00.050 and 00:01:00.")]
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        // Several renewals must fit in one lease, so that one slow renewal does not lose the run.
        if (RunLeaseRenewInterval * 3 > RunLeaseDuration)
            yield return new ValidationResult(
                $"SoxAuto:RunLeaseRenewInterval ({RunLeaseRenewInterval}) must be at most a third of SoxAuto:RunLeaseDuration ({RunLeaseDuration}).",
                [nameof(RunLeaseRenewInterval), nameof(RunLeaseDuration)]);
    }
}
