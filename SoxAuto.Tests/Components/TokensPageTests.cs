using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Tokens;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Tokens;

namespace SoxAuto.Tests.Components;

/// <summary>The access tokens page as admins use it: issue (the secret shown once), refuse, revoke.</summary>
public sealed class TokensPageTests
{
    [Fact]
    public async Task An_admin_issues_a_token_that_is_shown_once_and_works_then_revokes_it_and_it_no_longer_works()
    {
        await using var host = await ComponentHost.StartAsync("Alex Admin", [Roles.Admin], s => s.AddSingleton<AccessTokens>());
        var page = host.Context.Render<TokensPage>();
        Eventually(page, () => Assert.NotNull(page.Find("[data-testid=no-tokens]")));

        page.Find("input[data-testid=token-name]").Input("close-bot");
        page.Find("input[data-testid=token-expires]").Input("8w");
        page.Find("button[data-testid=issue]").Click();

        Eventually(page, () => Assert.StartsWith(AccessTokens.Prefix, page.Find("[data-testid=token-secret]").TextContent));
        var secret = page.Find("[data-testid=token-secret]").TextContent;
        var row = page.Find("tr[data-token=close-bot]");
        Assert.Contains("Auditor", row.TextContent);
        Assert.Equal("Active", page.Find("tr[data-token=close-bot] [data-testid=token-status]").TextContent);
        var tokens = host.Get<AccessTokens>();
        Assert.True((await tokens.CheckAsync(secret, "test", "/test")).Accepted);

        page.Find("tr[data-token=close-bot] button[data-testid=revoke]").Click();

        Eventually(page, () => Assert.Equal("Revoked", page.Find("tr[data-token=close-bot] [data-testid=token-status]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=token-secret]"));   // shown once: gone after the next action
        Assert.Contains("Alex Admin", page.Find("tr[data-token=close-bot]").TextContent);
        Assert.Equal(TokenRefusal.Revoked, (await tokens.CheckAsync(secret, "test", "/test")).Refusal);
        await using var db = await host.DbAsync();
        Assert.Equal(["token.issued", "token.revoked", "token.refused"],
            await db.AuditTrail.Where(a => a.Action.StartsWith("token.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.All(await db.AuditTrail.Where(a => a.Action != "token.refused").ToListAsync(), a => Assert.Equal(("Alex Admin", "192.0.2.10"), (a.Who, a.Origin)));
    }

    [Fact]
    public async Task A_name_already_taken_and_a_bad_expiry_are_refused_on_the_page_and_issue_nothing()
    {
        await using var host = await ComponentHost.StartAsync("Alex Admin", [Roles.Admin], s => s.AddSingleton<AccessTokens>());
        await host.Get<AccessTokens>().IssueAsync("taken", "Auditor", "1d", new SoxAuto.Core.Runs.Actor("Alex Admin", "test") { Subject = TestPeople.SubjectOf("Alex Admin") });
        var page = host.Context.Render<TokensPage>();
        Eventually(page, () => Assert.NotNull(page.Find("tr[data-token=taken]")));

        page.Find("input[data-testid=token-name]").Input("TAKEN");
        page.Find("button[data-testid=issue]").Click();
        Eventually(page, () => Assert.Contains("There is already a token called TAKEN", page.Find("[data-testid=token-error]").TextContent));

        page.Find("input[data-testid=token-name]").Input("fresh");
        page.Find("input[data-testid=token-expires]").Input("2y");
        page.Find("button[data-testid=issue]").Click();
        Eventually(page, () => Assert.Contains("'2y' is not a duration", page.Find("[data-testid=token-error]").TextContent));

        Assert.Empty(page.FindAll("[data-testid=token-secret]"));
        Assert.Single(await host.Get<AccessTokens>().ListAsync());
    }

    private static void Eventually<T>(IRenderedComponent<T> page, Action assertion) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.WaitForAssertion(assertion, TimeSpan.FromSeconds(30));
}
