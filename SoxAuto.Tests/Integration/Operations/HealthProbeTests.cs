using System.Net;
using System.Text.Json;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>/healthz (alive) and /healthz/ready (database, data folder, engine), asked anonymously as a load
/// balancer or systemd would; they say what is wrong in fixed words, never with a path.</summary>
public class HealthProbeTests
{
    [Fact]
    public async Task Both_probes_answer_anonymously_and_ready_says_the_database_the_data_folder_and_the_engine_work()
    {
        await using var app = SoxAutoApp.Start();
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };

        var (alive, aliveBody) = await GetAsync(anonymous, "/healthz");
        Assert.Equal(HttpStatusCode.OK, alive);
        Assert.Equal("Healthy", aliveBody.GetProperty("status").GetString());

        var (ready, readyBody) = await GetAsync(anonymous, "/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready);
        var checks = readyBody.GetProperty("checks");
        Assert.Equal(["data folder", "database", "engine"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Ready_answers_503_when_the_data_folder_cannot_be_written_while_alive_stays_200()
    {
        await using var app = SoxAutoApp.Start();
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        // A file where the evidence folder should be: nothing can be written there.
        var evidence = Path.Combine(app.DataPath, "evidence");
        if (Directory.Exists(evidence)) Directory.Delete(evidence, recursive: true);
        await File.WriteAllTextAsync(evidence, "not a folder");

        var (ready, body) = await GetAsync(anonymous, "/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var folder = body.GetProperty("checks").GetProperty("data folder");
        Assert.Equal("Unhealthy", folder.GetProperty("status").GetString());
        Assert.Equal("The data folder cannot be written.", folder.GetProperty("description").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain(app.DataPath, body.GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/healthz")).Status);

        File.Delete(evidence);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/healthz/ready")).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
