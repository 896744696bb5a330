using Amazon.Runtime;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Athena;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Tests.Fixtures.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

public sealed class AthenaCatalogAndCheckTests : AthenaEmulatorTest
{
    [Fact]
    public async Task The_catalog_lists_databases_tables_and_columns()
    {
        using var engine = AthenaTestKit.Engine(Emulator, Data);
        var catalog = new AthenaCatalog(engine);
        var databases = await catalog.DatabasesAsync(CancellationToken.None);
        Assert.Contains("process_pg_bob", databases);
        Assert.Contains("process_central_fin_dwh", databases);

        var tables = await catalog.TablesAsync("process_pg_bob", CancellationToken.None);
        var orders = Assert.Single(tables, t => t.Name == "pg_bob_sales_order");
        Assert.Contains(orders.Columns, c => c.Name == "order_id" && c.Type == "bigint");
        Assert.Contains(orders.Columns, c => c.Name == "total_amount" && c.Type == "decimal(18,2)");

        var one = await catalog.TableAsync("process_pg_bob", "pg_bob_sales_order", CancellationToken.None);
        Assert.Equal(orders.Columns, one.Columns);

        var e = await Assert.ThrowsAsync<EngineException>(() => catalog.TablesAsync("no_such_db", CancellationToken.None));
        Assert.Contains("MetadataException", e.Message);
    }

    [Fact]
    public async Task The_connection_check_names_the_caller_the_workgroup_and_the_output_location()
    {
        using var engine = AthenaTestKit.Engine(Emulator, Data, o => o.StsServiceUrl = Emulator.Endpoint);
        var steps = await new AthenaConnectionCheck(engine, new FixedAwsCredentialsSource(AthenaTestKit.Credentials)).RunAsync(CancellationToken.None);
        Assert.All(steps, s => Assert.True(s.Passed, $"{s.Name}: {s.Message}"));
        Assert.Equal(["Credentials", "Workgroup", "Output location"], steps.Select(s => s.Name));
        Assert.Contains(AthenaEmulator.CallerArn, steps[0].Message);
    }

    [Fact]
    public async Task The_connection_check_fails_clearly_for_bad_credentials_and_a_missing_workgroup()
    {
        var bad = new BasicAWSCredentials(AthenaEmulator.AccessKey, "wrong");
        using var engine = AthenaTestKit.Engine(Emulator, Data, o =>
        {
            o.StsServiceUrl = Emulator.Endpoint;
            o.WorkGroup = "nope";
            o.MaxAttempts = 1;
        }, bad);
        var steps = await new AthenaConnectionCheck(engine, new FixedAwsCredentialsSource(bad)).RunAsync(CancellationToken.None);
        Assert.False(steps[0].Passed);
        Assert.Contains("SignatureDoesNotMatch", steps[0].Message);
        Assert.False(steps[1].Passed);
        Assert.Contains("InvalidSignatureException", steps[1].Message);

        using var good = AthenaTestKit.Engine(Emulator, Data, o => o.WorkGroup = "nope");
        var wg = (await new AthenaConnectionCheck(good, new FixedAwsCredentialsSource(AthenaTestKit.Credentials)).RunAsync(CancellationToken.None))[1];
        Assert.False(wg.Passed);
        Assert.Equal("Workgroup nope: InvalidRequestException: WorkGroup nope is not found.", wg.Message);
    }
}
