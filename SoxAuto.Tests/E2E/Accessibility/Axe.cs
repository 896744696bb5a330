using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace SoxAuto.Tests.E2E.Accessibility;

/// <summary>axe-core (the npm package in Fixtures/npm, pinned by its package-lock.json) run inside the
/// page as it is now, with the WCAG 2.0 and 2.1 level A and AA rules only.</summary>
public static class Axe
{
    /// <summary>The WCAG 2.1 AA rule set: 2.0 A and AA plus what 2.1 added at A and AA.</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public sealed record Violation(string Rule, string Impact, string Help, string HelpUrl, IReadOnlyList<Node> Nodes);

    public sealed record Node(string Target, string Html, string Summary);

    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(Fixtures.NpmFolder.Path, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
            throw new InvalidOperationException($"npm axe-core is not installed at {path}: run `npm ci` in {Fixtures.NpmFolder.Path} (./test.sh does).");
        return File.ReadAllText(path);
    });

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Injects axe (evaluated through the DevTools protocol, so the app's content security policy
    /// stays on) and returns every WCAG 2.1 A/AA violation on the page.</summary>
    public static async Task<IReadOnlyList<Violation>> RunAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value);
        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return JSON.stringify(result.violations.map(v => ({
                rule: v.id, impact: v.impact ?? '', help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary ?? '' })),
              })));
            }
            """, Tags);
        return JsonSerializer.Deserialize<List<Violation>>(json, Json) ?? [];
    }

    /// <summary>What a failing test prints: each rule, why, where to read more, and each element it
    /// failed on (its selector, its HTML and axe's explanation), so the fix can start from the message.</summary>
    public static string Report(string what, IReadOnlyList<Violation> violations)
    {
        var text = new StringBuilder($"{what}: {violations.Count} WCAG 2.1 A/AA rule(s) violated");
        foreach (var v in violations)
        {
            text.Append($"\n\n[{v.Rule}] ({v.Impact}) {v.Help}\n  {v.HelpUrl}");
            foreach (var n in v.Nodes)
            {
                text.Append($"\n  - target: {n.Target}\n    html:   {Shorten(n.Html)}");
                foreach (var line in n.Summary.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    text.Append($"\n    {line.Trim()}");
            }
        }
        return text.ToString();
    }

    private static string Shorten(string html) => html.Length <= 300 ? html : html[..300] + "…";
}
