using System.Text.Json;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration;

/// <summary>The <c>package</c> and <c>verify</c> verbs as a user starts them: separate processes on one
/// data folder, JSON on standard output, the exit code.</summary>
public sealed class HeadlessEvidenceTests
{
    [Fact]
    public async Task A_package_written_twice_by_the_verb_is_the_same_bytes_and_verify_exits_0_for_it_and_1_after_a_one_byte_change()
    {
        using var data = DemoLakeFixture.NewDataFolder();
        var (ran, runOut, runErr) = await HeadlessAsync(data, "run", "IPE_09", "--period", "2025-09");
        Assert.True(ran == 0, runErr);
        var runId = JsonDocument.Parse(runOut).RootElement.GetProperty("runId").GetInt32();
        var first = Path.Combine(data.Folder.Root, "first.zip");
        var second = Path.Combine(data.Folder.Root, "second.zip");

        var (packed, packOut, packErr) = await HeadlessAsync(data, "package", runId.ToString(), "--out", first);
        Assert.True(packed == 0, packErr);
        Assert.Equal(runId, JsonDocument.Parse(packOut).RootElement.GetProperty("runId").GetInt32());
        Assert.Equal(0, (await HeadlessAsync(data, "package", runId.ToString(), "--out", second)).Exit);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));

        var (matched, verifyOut, verifyErr) = await HeadlessAsync(data, "verify", first);
        Assert.True(matched == 0, verifyErr);
        using var verdict = JsonDocument.Parse(verifyOut);
        Assert.Equal([runId], verdict.RootElement.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt32()));
        Assert.Contains($"run {runId} (IPE_09, 2025-09", verifyErr);

        // An outside auditor's SoxAuto knows nothing of the run: the package's own manifest is enough.
        using (var elsewhere = DemoLakeFixture.NewDataFolder())
        {
            var (alone, _, aloneErr) = await HeadlessAsync(elsewhere, "verify", first);
            Assert.True(alone == 0, aloneErr);
            Assert.Contains("the manifest alone was checked", aloneErr);
        }

        var bytes = await File.ReadAllBytesAsync(second);
        bytes[bytes.Length / 3] ^= 0x01;
        await File.WriteAllBytesAsync(second, bytes);
        var (refused, _, refusedErr) = await HeadlessAsync(data, "verify", second);
        Assert.True(refused == 1, refusedErr);
    }

    [Fact]
    public async Task The_verbs_refuse_bad_arguments_with_exit_2_and_a_run_without_evidence_with_exit_1()
    {
        using var data = DemoLakeFixture.NewDataFolder();

        Assert.Equal(2, (await HeadlessAsync(data, "package", "12")).Exit);   // no --out
        Assert.Equal(2, (await HeadlessAsync(data, "verify", Path.Combine(data.Folder.Root, "no-such-file.zip"))).Exit);
        var (missing, _, stderr) = await HeadlessAsync(data, "package", "999", "--out", Path.Combine(data.Folder.Root, "p.zip"));
        Assert.Equal(1, missing);
        Assert.Contains("Run 999 has no evidence package", stderr);
        Assert.False(File.Exists(Path.Combine(data.Folder.Root, "p.zip")));
    }

    private static Task<(int Exit, string Stdout, string Stderr)> HeadlessAsync(TempDataFolder data, params string[] args) =>
        ChildProcess.HeadlessAsync(data.Folder.Root, args);
}
