using System.Security.Cryptography;
using System.Text.Json;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The headless verb as a user starts it: a separate process, JSON on standard output,
/// messages on standard error, the exit code.</summary>
public class HeadlessRunTests
{
    [Fact]
    public async Task A_headless_run_prints_one_JSON_object_and_exits_0_when_it_succeeded()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await HeadlessAsync(data, "run", "IPE_09", "--period", "2025-09");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("Succeeded", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("runId").GetInt32() > 0);
        Assert.Equal($"cli:{Environment.UserName}", root.GetProperty("runBy").GetString());
        Assert.True(root.GetProperty("rows").GetInt64() > 0);
        var csv = root.GetProperty("csv").GetString()!;
        var xlsx = root.GetProperty("xlsx").GetString()!;
        Assert.Equal(root.GetProperty("sha256").GetString(), Sha256(csv));
        Assert.Equal(root.GetProperty("workbookSha256").GetString(), Sha256(xlsx));
        Assert.StartsWith(data.Folder.Root, csv);
    }

    [Theory]
    [InlineData("2025-13", "month must be 01 to 12")]
    [InlineData("abc", "is not a period")]
    [InlineData("2999-01", "the year must be 2000 to ")]
    public async Task A_malformed_period_exits_2_with_the_reason_on_standard_error(string period, string message)
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await HeadlessAsync(data, "run", "IPE_09", "--period", period);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout.Trim());
    }

    /// <summary>Issue 9, finding 7: 9999-12 and non-ASCII digits threw, and the verb died with exit code 134.</summary>
    [Theory]
    [InlineData("9999-12", "the year must be 2000 to ")]
    [InlineData("\uFF12\uFF10\uFF12\uFF15-\uFF10\uFF19", "is not a period")]   // full-width ２０２５-０９
    [InlineData("\u0662\u0660\u0662\u0665-\u0660\u0669", "is not a period")]   // Arabic-Indic ٢٠٢٥-٠٩
    [InlineData("", "No period given")]
    [InlineData(null, "is not a period")]                                           // 10,000 characters
    [InlineData("0000-01", "the year must be 2000 to ")]
    public async Task A_period_that_used_to_crash_the_verb_exits_2_with_one_sentence_on_standard_error(string? period, string message)
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await HeadlessAsync(data, "run", "IPE_09", "--period", period ?? new string('9', 10_000));

        Assert.True(exit == 2, $"exit {exit}: {stderr}");
        Assert.Contains(message, stderr);
        Assert.DoesNotContain('\n', stderr.Trim());
        Assert.True(stderr.Length < 300, stderr);
        Assert.Equal("", stdout.Trim());
    }

    [Fact]
    public async Task An_unknown_IPE_exits_2_with_the_reason()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, _, stderr) = await HeadlessAsync(data, "run", "IPE_99", "--period", "2025-09");

        Assert.Equal(2, exit);
        Assert.Contains("no approved IPE called 'IPE_99'", stderr);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_and_lists_every_command()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        var (exit, stdout, stderr) = await HeadlessAsync(data, "reprform", "1");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("Unknown command 'reprform'", stderr);
        foreach (var verb in new[] { "run", "reconcile", "run-control", "reperform", "sample", "verify-audit", "check-athena",
                     "package", "verify", "token", "backup", "verify-data-folder", "import", "bench" })
            Assert.Contains($" {verb},", stderr.Replace(";", ","));
    }

    [Fact]
    public void The_options_dotnet_run_puts_before_the_verb_stay_with_the_host()
    {
        var c = SoxAuto.Web.Cli.CommandLine.Parse(
            ["--environment", "Development", "--urls", "http://localhost:5286", "run", "IPE_09", "--period", "2025-09"]);
        Assert.Equal("run", c.Verb);
        Assert.Equal(["--environment", "Development", "--urls", "http://localhost:5286"], c.HostArgs);
        Assert.Equal(["IPE_09", "--period", "2025-09"], c.VerbArgs);
        Assert.Null(SoxAuto.Web.Cli.CommandLine.Parse(["--environment", "Development"]).Verb);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> HeadlessAsync(TempDataFolder data, params string[] args) =>
        ChildProcess.HeadlessAsync(data.Folder.Root, args);

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
