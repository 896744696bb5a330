using SoxAuto.Core.Engines.Athena;

namespace SoxAuto.Tests.Core.Engines.Athena;

/// <summary>Issue 14: the region comes from SoxAuto:Athena:Region, else AWS_REGION, else AWS_DEFAULT_REGION, as AWS's tools read them.</summary>
public class AthenaRegionTests
{
    [Theory]
    [InlineData("eu-west-1", "us-east-1", "us-west-2", "eu-west-1")]
    [InlineData("", "us-east-1", "us-west-2", "us-east-1")]
    [InlineData(" ", " ", "us-west-2", "us-west-2")]
    [InlineData(null, null, null, "")]
    public void The_configured_region_wins_then_AWS_REGION_then_AWS_DEFAULT_REGION(string? configured, string? awsRegion, string? awsDefaultRegion, string expected)
    {
        var environment = new Dictionary<string, string?> { ["AWS_REGION"] = awsRegion, ["AWS_DEFAULT_REGION"] = awsDefaultRegion };
        Assert.Equal(expected, AthenaOptions.RegionFrom(configured, environment.GetValueOrDefault));
    }
}
