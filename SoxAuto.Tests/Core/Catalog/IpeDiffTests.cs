using SoxAuto.Core.Catalog;

namespace SoxAuto.Tests.Core.Catalog;

public class IpeDiffTests
{
    private static readonly IpeDefinition Ipe09 = SeedCatalog.All.Single(i => i.Id == "IPE_09");

    [Fact]
    public void The_diff_of_two_versions_shows_exactly_the_changed_lines()
    {
        var lines = Ipe09.Sql.ReplaceLineEndings("\n").Split('\n');
        var changedAt = Array.FindIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var edited = lines.ToArray();
        edited[changedAt] += " -- edited";
        var after = Ipe09 with { Sql = string.Join('\n', edited) + "\n-- appended", Owner = "Someone else" };

        var diff = IpeDiff.Of(Ipe09, after, "v1", "v2");

        var sql = IpeDiff.Changes(diff.Sql);
        Assert.Equal(2, sql.Count);
        Assert.Equal((changedAt + 1, lines[changedAt], changedAt + 1, edited[changedAt]), sql[0]);
        Assert.Null(sql[1].OldText);
        Assert.Equal("-- appended", sql[1].NewText);
        var settings = Assert.Single(IpeDiff.Changes(diff.Settings));
        Assert.Equal($"Owner: {Ipe09.Owner}", settings.OldText);
        Assert.Equal("Owner: Someone else", settings.NewText);
    }

    [Fact]
    public void Identical_versions_have_no_changes()
    {
        var diff = IpeDiff.Of(Ipe09, Ipe09 with { }, "v1", "v2");
        Assert.False(diff.HasChanges);
        Assert.Empty(IpeDiff.Changes(diff.Sql));
    }
}
