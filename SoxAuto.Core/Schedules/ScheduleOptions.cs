using System.ComponentModel.DataAnnotations;

namespace SoxAuto.Core.Schedules;

/// <summary>SoxAuto:Schedules: how often due schedules are looked for, and the holidays business days skip.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "SoxAuto:Schedules";

    /// <summary>How often the app looks for a due schedule (a firing starts at most this long after its due time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "SoxAuto:Schedules:CheckInterval must be between 00:00:00.050 and 01:00:00.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Dates (yyyy-MM-dd) that are not business days, for every schedule.</summary>
    public List<DateOnly> Holidays { get; set; } = [];
}
