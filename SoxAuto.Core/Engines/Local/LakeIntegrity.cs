using System.Collections.Concurrent;
using System.Security.Cryptography;
using SoxAuto.Core.DemoLake;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// The second layer around the lake (the first: DuckDB may open the lake's table files and nothing else,
/// see <see cref="LakeConnection"/>). When the lake has a manifest, as the demo lake always does, a query
/// runs only if the lake's tables are exactly the files the manifest lists, each with its size and SHA-256:
/// a Parquet file dropped in by hand (it would become a table), a missing one, or one changed since is
/// refused with a sentence naming it. A lake of one's own Parquet files (no manifest) has nothing to be
/// checked against. Each file is hashed once per version (size and last write time) in a process.
/// </summary>
internal static class LakeIntegrity
{
    private static readonly ConcurrentDictionary<string, (long Bytes, DateTime Written, string Sha256)> Hashed = new(StringComparer.Ordinal);

    /// <param name="databases">The lake's tables as <see cref="LakeConnection.Databases"/> found them.</param>
    public static void Ensure(string lake, SortedDictionary<string, SortedDictionary<string, string>> databases)
    {
        if (!File.Exists(Path.Combine(lake, LakeManifest.FileName))) return;
        var manifest = LakeManifest.TryRead(lake) ?? throw new EngineException(
            $"The lake's {LakeManifest.FileName} cannot be read, so its files cannot be checked and no query runs on it. Delete the lake folder ({lake}) to generate it again.");

        var listed = manifest.Tables.ToDictionary(t => $"{t.Database}/{t.Table}", StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var (database, tables) in databases)
        {
            foreach (var (table, file) in tables)
            {
                var name = $"{database}/{Path.GetFileName(file)}";
                if (!listed.Remove($"{database}/{table}", out var expected))
                    problems.Add($"{name} is not in the manifest");
                else if (!Unchanged(file, expected))
                    problems.Add($"{name} changed since the manifest was written");
            }
        }
        problems.AddRange(listed.Values.Select(t => $"{t.File} is missing"));
        if (problems.Count > 0)
            throw new EngineException(
                $"The lake does not match its manifest ({string.Join("; ", problems)}), so no query runs on it. " +
                $"Remove what was added to {lake}, or delete the folder to generate the demo lake again.");
    }

    private static bool Unchanged(string file, LakeTableFile expected)
    {
        var info = new FileInfo(file);
        if (info.Length != expected.Bytes) return false;
        var written = info.LastWriteTimeUtc;
        if (!Hashed.TryGetValue(file, out var known) || known.Bytes != info.Length || known.Written != written)
        {
            using var stream = File.OpenRead(file);
            known = (info.Length, written, Convert.ToHexStringLower(SHA256.HashData(stream)));
            Hashed[file] = known;
        }
        return string.Equals(known.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase);
    }
}
