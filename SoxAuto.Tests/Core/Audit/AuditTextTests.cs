using SoxAuto.Core.Audit;

namespace SoxAuto.Tests.Core.Audit;

/// <summary>What may go into an audit field: bounded, and no character that hides or fakes text.</summary>
public sealed class AuditTextTests
{
    [Fact]
    public void Ordinary_text_is_kept_as_it_is()
    {
        Assert.Equal("IPE_09 v1 for 2025-09 (Ünïcødé, 日本, 🙂)", AuditText.Clean("IPE_09 v1 for 2025-09 (Ünïcødé, 日本, 🙂)", 100));
    }

    [Fact]
    public void Control_and_invisible_formatting_characters_are_kept_visible_as_escapes()
    {
        var cleaned = AuditText.Clean("ada\r\nsignin\tok\u0000\u001b[31m\u202Egnp.exe\u2028", 100);

        Assert.Equal("ada\\r\\nsignin\\tok\\u0000\\u001B[31m\\u202Egnp.exe\\u2028", cleaned);
        Assert.DoesNotContain(cleaned, char.IsControl);
    }

    [Fact]
    public void A_long_value_is_cut_to_the_bound_and_says_how_much_was_left_out()
    {
        var cleaned = AuditText.Clean(new string('x', 1_000_000), 400);

        Assert.StartsWith(new string('x', 400), cleaned);
        Assert.EndsWith("… (999,600 more characters not recorded)", cleaned);
        Assert.True(cleaned.Length < 450);
    }

    [Fact]
    public void Escapes_count_toward_the_bound_and_a_surrogate_pair_is_never_split()
    {
        Assert.Equal("\\n\\n… (8 more characters not recorded)", AuditText.Clean(new string('\n', 10), 5));
        Assert.Equal("ab… (2 more characters not recorded)", AuditText.Clean("ab🙂", 3));
    }
}
