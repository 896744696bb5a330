using SoxAuto.Core;
using SoxAuto.Core.DemoLake;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Engines.Local;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Engines;

/// <summary>The readiness probe's question to the local engine: is the lake there, every table its manifest lists?</summary>
public class LocalEngineReadinessTests
{
    [Fact]
    public async Task The_local_engine_is_ready_on_the_demo_lake_and_not_when_the_lake_s_table_files_are_missing()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        using (var engine = new LocalEngine(data.Folder))
            await engine.CheckReadyAsync(CancellationToken.None);

        // The manifest without the tables it lists: as if the lake's files had been lost.
        var lake = Directory.CreateTempSubdirectory("soxauto-lake-").FullName;
        try
        {
            File.Copy(Path.Combine(DemoLakeFixture.SharedLakePath, LakeManifest.FileName), Path.Combine(lake, LakeManifest.FileName));
            var tables = LakeManifest.TryRead(lake)!.Tables.Count;
            using var broken = new LocalEngine(new DataFolder(data.Folder.Root, lake));
            var e = await Assert.ThrowsAsync<EngineException>(() => broken.CheckReadyAsync(CancellationToken.None));
            Assert.Equal($"{tables} of the lake's {tables} table files are missing or changed.", e.Message);

            Directory.Delete(lake, recursive: true);
            e = await Assert.ThrowsAsync<EngineException>(() => broken.CheckReadyAsync(CancellationToken.None));
            Assert.Equal("The lake folder is missing.", e.Message);
        }
        finally
        {
            TempDataFolder.DeleteQuietly(lake);
        }
    }
}
