using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using SoxAuto.Core;

namespace SoxAuto.Tests.Core.Settings;

/// <summary>SoxAuto:Engine is read in one way everywhere: by registration (which picks the engine's
/// services) and by the validated options (which stop a start with a bad value).</summary>
public class EngineSettingTests
{
    [Theory]
    [InlineData("Athena", EngineKind.Athena)]
    [InlineData("athena", EngineKind.Athena)]
    [InlineData("LOCAL", EngineKind.Local)]
    [InlineData(null, EngineKind.Local)]
    [InlineData("", EngineKind.Local)] // set but empty: the default
    public void Engine_names_match_in_any_letter_case_for_registration_and_options_alike(string? configured, EngineKind expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["SoxAuto:Engine"] = configured }).Build();
        var options = configuration.GetSection(SoxAutoOptions.Section).Get<SoxAutoOptions>() ?? new SoxAutoOptions();

        Assert.Equal(expected, SoxAutoOptions.EngineIn(configuration));
        Assert.Equal(expected, options.EngineKind);
        Assert.Empty(Problems(options));
    }

    [Theory]
    [InlineData("Trino")]
    [InlineData("1")]
    public void Any_other_engine_is_refused_naming_the_key(string configured)
        => Assert.Equal(["SoxAuto:Engine must be Local or Athena."], Problems(new SoxAutoOptions { Engine = configured }));

    private static IEnumerable<string?> Problems(SoxAutoOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage);
    }
}
