namespace SoxAuto.Tests.Fixtures.Athena;

/// <summary>A test class whose every test gets an Athena emulator of its own and a data folder over the demo lake.</summary>
public abstract class AthenaEmulatorTest : IClassFixture<DemoLakeFixture>, IAsyncLifetime
{
    protected TempDataFolder Data { get; } = DemoLakeFixture.NewDataFolder();

    protected AthenaEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await AthenaEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Data.Dispose();
    }
}
