namespace SoxAuto.Core.Catalog;

public enum ParameterType { Date, Text, TextList }

/// <summary>A parameter an IPE's SQL declares. <see cref="Default"/> is either the name of a period
/// value (<c>period_start</c>, <c>period_end</c>, <c>next_period_start</c>) or a literal value; a
/// list default separates its items with commas.</summary>
public sealed record ParameterDefinition(
    string Name,
    ParameterType Type,
    bool Required = true,
    string? Pattern = null,
    string? Default = null,
    string? Description = null);

/// <summary>A typed, validated value. Dates are held as ISO text (yyyy-MM-dd); a Text value has one item.</summary>
public sealed record ParameterValue(string Name, ParameterType Type, IReadOnlyList<string> Values)
{
    /// <summary>The value as a person reads it (not SQL).</summary>
    public string Display => string.Join(", ", Values);
}

/// <summary>A parameter that is missing, malformed or fails its pattern. The message is for users.</summary>
public sealed class ParameterException(string message) : Exception(message);
