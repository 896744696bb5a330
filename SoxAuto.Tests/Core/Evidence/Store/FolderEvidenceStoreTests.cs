using SoxAuto.Core;
using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Core.Evidence.Store;

/// <summary>The default store, the data folder: a run's files are renamed into place complete, then read-only.</summary>
public sealed class FolderEvidenceStoreTests
{
    [Fact]
    public async Task A_succeeded_runs_files_are_read_only_in_the_data_folder_and_read_back_through_the_store()
    {
        await using var host = await CoreHost.StartAsync();
        var requested = await host.Get<RunService>().RequestAsync("IPE_09", "2025-09", null, new Actor("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") });
        var run = await host.WaitForFinalAsync(requested.Id);

        Assert.True(run.State == RunState.Succeeded, run.Message);
        Assert.IsType<FolderEvidenceStore>(host.Get<IEvidenceStore>());
        foreach (var key in new[] { run.ExtractPath!, run.WorkbookPath! })
        {
            Assert.StartsWith($"evidence/run-{run.Id}/", key);
            var path = host.Get<DataFolder>().Absolute(key);
            Assert.True(File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly), path);
            Assert.False(File.Exists(path + ".partial"));
        }
        await using var stored = await host.Get<IEvidenceStore>().OpenAsync(run.ExtractPath!, CancellationToken.None);
        Assert.Equal(run.ExtractSha256, (await RunFiles.HashAsync(stored!, CancellationToken.None)).Sha256);
    }
}
