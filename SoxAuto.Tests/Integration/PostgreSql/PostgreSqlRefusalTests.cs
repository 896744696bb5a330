using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.PostgreSql;

/// <summary>SoxAuto:Database:Provider = PostgreSql with a connection string that is missing, unreadable or
/// names a server that does not answer: the web app and the verbs refuse to start with one paragraph naming
/// SoxAuto:Database:ConnectionString, exit code 1, and never the string's password.</summary>
public sealed class PostgreSqlRefusalTests
{
    private const string Password = "test-only-secret";

    public static TheoryData<string, string> BadConnectionStrings => new()
    {
        { "", "SoxAuto:Database:ConnectionString is empty" },
        { $"Hots=db.example;Password={Password}", "SoxAuto:Database:ConnectionString cannot be read as a PostgreSQL connection string" },
        // Nothing listens on a port just freed.
        { $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=soxauto;Password={Password};Database=soxauto;Timeout=5",
            "the PostgreSQL database named by SoxAuto:Database:ConnectionString cannot be used" },
    };

    [Theory]
    [MemberData(nameof(BadConnectionStrings))]
    public async Task The_web_app_refuses_a_bad_PostgreSQL_connection_string_naming_the_key(string connectionString, string says)
    {
        using var data = new TempDataFolder();

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Development", Settings(data, connectionString));

        StartupRefusalTests.AssertRefused(exit, stdout, stderr, says);
        Assert.DoesNotContain(Password, stdout + stderr);
    }

    [Fact]
    public async Task A_headless_verb_refuses_an_unreachable_PostgreSQL_server_the_same_way()
    {
        using var data = new TempDataFolder();
        var unreachable = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=soxauto;Password={Password};Database=soxauto;Timeout=5";

        var (exit, stdout, stderr) = await ChildProcess.RunWebAppAsync("Production", Settings(data, unreachable), "verify-audit");

        StartupRefusalTests.AssertRefused(exit, stdout, stderr, "SoxAuto:Database:ConnectionString cannot be used");
        Assert.DoesNotContain(Password, stdout + stderr);
    }

    private static Dictionary<string, string> Settings(TempDataFolder data, string connectionString) => new()
    {
        ["SoxAuto:DataPath"] = data.Folder.Root,
        ["SoxAuto:LakePath"] = Path.Combine(Path.GetTempPath(), "soxauto-no-lake"),
        ["SoxAuto:Database:Provider"] = "PostgreSql",
        ["SoxAuto:Database:ConnectionString"] = connectionString,
        ["urls"] = "http://127.0.0.1:0",
    };
}
