using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Access;
using SoxAuto.Core.Tokens;
using SoxAuto.Web.Auth;
using SoxAuto.Web.Components.Pages.Admin.Audit;

namespace SoxAuto.Tests.Components;

/// <summary>The admin's access review page: the people for a period, and the export handed to the browser and recorded.</summary>
public sealed class AccessReviewPageTests
{
    // A bound for a loaded machine, not a timing claim.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>The page as Alan Admin sees it, with the local demo sign-in.</summary>
    private static Task<ComponentHost> StartAsync() => ComponentHost.StartAsync("Alan Admin", [Roles.Admin], s => s
        .AddSingleton<AccessReview>()
        .AddSingleton(new SignInSettings(SignInMode.Local))
        .AddSingleton<AccessScope>());

    [Fact]
    public async Task An_admin_exports_the_review_which_the_browser_saves_and_the_audit_trail_records_with_its_hash()
    {
        await using var host = await StartAsync();
        var save = host.Context.JSInterop.SetupVoid("soxautoSaveFile", _ => true);
        save.SetVoidResult();
        host.Navigation.NavigateTo("/admin/access-review?from=2025-10-01&to=2025-12-31");

        var page = host.Context.Render<AccessReviewPage>();

        page.WaitForAssertion(() => Assert.Equal(DemoPeople.All.Count, page.FindAll("[data-testid=access-review] tbody tr").Count), Wait);
        Assert.Contains("Auditor: demo assignment", page.Find("[data-testid=access-review] tr[data-subject=ada]").TextContent);
        Assert.Equal("No access token could act in the period.", page.Find("[data-testid=review-no-tokens]").TextContent.Trim());
        page.Find("button[data-testid=export-review]").Click();

        page.WaitForAssertion(() => Assert.Contains("soxauto-access-review_2025-10-01_2025-12-31.xlsx", page.Find("[data-testid=review-exported]").TextContent), Wait);
        var call = Assert.Single(save.Invocations);
        Assert.Equal("soxauto-access-review_2025-10-01_2025-12-31.xlsx", call.Arguments[0]);
        await using var db = await host.DbAsync();
        var recorded = await db.AuditTrail.SingleAsync(a => a.Action == "access-review.exported");
        Assert.Equal("Alan Admin", recorded.Who);
        Assert.Contains(page.Find("[data-testid=review-sha256]").TextContent.Trim(), recorded.Detail);
    }

    [Fact]
    public async Task Access_tokens_that_could_act_in_the_period_are_listed_below_the_people_and_others_are_not()
    {
        await using var host = await StartAsync();
        await using (var db = await host.DbAsync())
        {
            static AccessToken Token(string name, DateTimeOffset issued, DateTimeOffset expires) => new()
            {
                Name = name,
                Scope = TokenScope.Auditor,
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))),
                IssuedBy = "Alan Admin",
                IssuedBySubject = "alan",
                IssuedAt = issued,
                ExpiresAt = expires,
            };
            db.AccessTokens.AddRange(
                Token("nightly-close", new(2025, 9, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
                Token("ended-in-august", new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), new(2025, 8, 31, 0, 0, 0, TimeSpan.Zero)));
            await db.SaveChangesAsync();
        }
        host.Navigation.NavigateTo("/admin/access-review?from=2025-10-01&to=2025-12-31");

        var page = host.Context.Render<AccessReviewPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=review-tokens] tbody tr")), Wait);
        var row = page.Find("[data-testid=review-tokens] tr[data-token=nightly-close]").TextContent;
        Assert.Contains("token:nightly-close", row);
        Assert.Contains("2026-03-01 00:00:00 UTC", row);
        Assert.Contains(DateTimeOffset.UtcNow < new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) ? "Active" : "Expired", row); // as of the review
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_named_and_nothing_can_be_exported()
    {
        await using var host = await StartAsync();
        host.Navigation.NavigateTo("/admin/access-review?from=2025-12-31&to=2025-10-01");

        var page = host.Context.Render<AccessReviewPage>();

        page.WaitForAssertion(() => Assert.Equal("The period ends before it starts.", page.Find("[data-testid=review-error]").TextContent.Trim()), Wait);
        Assert.True(page.Find("button[data-testid=export-review]").HasAttribute("disabled"));
    }
}
