using System.Text.Json;
using Microsoft.Playwright;

namespace SoxAuto.Tests.E2E.Accessibility;

/// <summary>Moving through a page as a keyboard user does: Tab and Shift+Tab only, and checking that
/// the element reached shows where the focus is.</summary>
public static class Keyboard
{
    /// <summary>Presses Tab (Shift+Tab when <paramref name="backwards"/>) until the focused element
    /// matches <paramref name="selector"/>; fails, naming where the focus is, after <paramref name="most"/> presses.</summary>
    public static async Task TabToAsync(IPage page, string selector, bool backwards = false, int most = 80)
    {
        for (var i = 0; i < most; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector)) return;
        }
        Assert.Fail($"{most} presses of {(backwards ? "Shift+Tab" : "Tab")} never reached {selector}; the focus is on {await FocusedAsync(page)}.");
    }

    /// <summary>The focused element shows the keyboard focus ring (WCAG 2.4.7): it matches :focus-visible
    /// and draws an outline at least 2 px wide.</summary>
    public static async Task ExpectFocusRingAsync(IPage page)
    {
        var ring = await page.EvaluateAsync<JsonElement>(
            """
            () => {
              const e = document.activeElement, s = getComputedStyle(e);
              return { visible: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
            }
            """);
        var visible = ring.GetProperty("visible").GetBoolean();
        var style = ring.GetProperty("style").GetString();
        var width = ring.GetProperty("width").GetDouble();
        Assert.True(visible && style != "none" && width >= 2,
            $"No visible focus on {await FocusedAsync(page)}: :focus-visible {visible}, outline {style} {width}px.");
    }

    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'");
}
