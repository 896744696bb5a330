using BlazorMonaco.Editor;

namespace SoxAuto.Web.Components.Pages.Admin.Ipes;

/// <summary>Monaco's light theme with the SQL colours it gets wrong for WCAG 2.1 AA (1.4.3): its slate
/// operators (AND, IN: 3.6:1), red strings (4.0:1) and magenta functions (3.1:1) are darkened to at least
/// 4.5:1 on the editor's white; everything else is Monaco's own.</summary>
internal static class SqlEditorTheme
{
    public const string Name = "soxauto-sql";

    private static readonly StandaloneThemeData Theme = new()
    {
        Base = "vs",
        Inherit = true,
        Rules =
        [
            new TokenThemeRule { Token = "operator.sql", Foreground = "4b5667" },
            new TokenThemeRule { Token = "string.sql", Foreground = "a31515" },
            new TokenThemeRule { Token = "predefined.sql", Foreground = "8b008b" },
        ],
        Colors = [],
    };

    /// <summary>BlazorMonaco can only define a theme once an editor exists: called from the editor's OnDidInit.</summary>
    public static async Task ApplyAsync()
    {
        await Global.DefineTheme(Name, Theme);
        await Global.SetTheme(Name);
    }
}
