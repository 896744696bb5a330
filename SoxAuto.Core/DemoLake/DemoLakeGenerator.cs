namespace SoxAuto.Core.DemoLake;

/// <summary>Writes the deterministic synthetic finance data lake (Parquet) if it is missing.</summary>
public sealed class DemoLakeGenerator(DataFolder folder)
{
    public Task EnsureAsync(CancellationToken ct) => throw new NotImplementedException(folder.Lake);
}
