using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using SoxAuto.Core;

namespace SoxAuto.Web;

/// <summary>A setting that stops SoxAuto from starting. Its message is the paragraph the operator
/// reads: it names the key and what to do.</summary>
public sealed class StartupRefusalException(string message) : Exception(message);

/// <summary>Turns a refused start (a bad setting, no sign-in configured) into one paragraph on
/// standard error and exit code 1, for the web app and for every headless verb. Anything else is a
/// bug and keeps its stack trace.</summary>
public static partial class StartupRefusal
{
    public const int ExitCode = 1;

    public static async Task<int> GuardAsync(Func<Task<int>> start)
    {
        try
        {
            return await start();
        }
        catch (Exception e) when (Explain(e) is { } paragraph)
        {
            await Console.Error.WriteLineAsync(paragraph);
            return ExitCode;
        }
    }

    /// <summary>Checks what would otherwise fail later with a stack trace: every option validated at
    /// start-up (ValidateOnStart), and the data folder. Call it right after Build().</summary>
    public static void CheckSettings(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        try
        {
            _ = services.GetRequiredService<DataFolder>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var configured = services.GetRequiredService<IOptions<SoxAutoOptions>>().Value.DataPath;
            throw new StartupRefusalException(
                $"SoxAuto cannot start: the data folder (SoxAuto:DataPath = '{configured}') cannot be created or written: {e.Message} " +
                "Point SoxAuto:DataPath at a folder this account may write.");
        }
    }

    /// <summary>The paragraph for a refused start, or null when <paramref name="e"/> is not one.</summary>
    public static string? Explain(Exception e) => e switch
    {
        StartupRefusalException refusal => refusal.Message,
        OptionsValidationException invalid => "SoxAuto cannot start: " + string.Join(" ", Describe(invalid)),
        // "Failed to convert configuration value 'abc' at 'SoxAuto:PollInterval' to type 'System.TimeSpan'."
        InvalidOperationException unreadable when unreadable.TargetSite?.DeclaringType == typeof(ConfigurationBinder) =>
            $"SoxAuto cannot start: {unreadable.Message} {unreadable.InnerException?.Message}".TrimEnd(),
        AggregateException many when many.InnerExceptions.All(i => Explain(i) is not null) =>
            "SoxAuto cannot start: " + string.Join(" ", many.InnerExceptions.Select(i => Explain(i)!.Replace("SoxAuto cannot start: ", ""))),
        // Kestrel's "Failed to bind to address http://127.0.0.1:5080: address already in use."
        IOException { InnerException: AddressInUseException } taken =>
            $"SoxAuto cannot start: {taken.Message} Another program (perhaps another SoxAuto) is listening there: stop it, " +
            "or give SoxAuto another address with --urls or ASPNETCORE_URLS (e.g. --urls http://localhost:5081).",
        _ => null,
    };

    /// <summary>Each failure with its full configuration key: DataAnnotations name the property
    /// ("The field WorkerConcurrency must be ..."), the operator needs "SoxAuto:WorkerConcurrency".</summary>
    private static IEnumerable<string> Describe(OptionsValidationException invalid)
    {
        var section = invalid.OptionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        foreach (var failure in invalid.Failures)
        {
            var match = DataAnnotationFailure().Match(failure);
            if (!match.Success || section is null)
            {
                yield return failure;
                continue;
            }
            var key = $"{section}:{match.Groups["member"].Value}";
            var error = match.Groups["error"].Value.Replace($"The field {match.Groups["member"].Value} ", key + " ", StringComparison.Ordinal);
            yield return error.Contains(key, StringComparison.OrdinalIgnoreCase) ? error : $"{key}: {error}";
        }
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
