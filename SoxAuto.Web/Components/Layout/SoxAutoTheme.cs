using MudBlazor;

namespace SoxAuto.Web.Components.Layout;

/// <summary>A sober palette: navy for structure, green/red/amber kept for check and run states only,
/// so colour on a page always means something. Every colour that carries text (white on a filled chip or
/// button, or the colour itself on the page's background) keeps a contrast of at least 4.5:1 (WCAG 2.1 AA,
/// 1.4.3); the accessibility test checks every page with axe-core.</summary>
public static class SoxAutoTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f3a5f",
            Secondary = "#4a6a8a",
            Tertiary = "#2b7a57",
            Info = "#2f6fa8",
            Success = "#2e7d4f",
            Warning = "#9a5b00",
            Error = "#b3261e",
            AppbarBackground = "#1f3a5f",
            AppbarText = "#ffffff",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1c2633",
            TextSecondary = "#4b5667",
            TableStriped = "#f7f9fb",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Segoe UI", "Helvetica Neue", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "4px" },
    };
}
