using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoxAuto.Core.Data;
using SoxAuto.Tests.Fixtures;
using SoxAuto.Web.Auth;

namespace SoxAuto.Tests.Integration;

/// <summary>A sign-in session is known to the server (the database), not only to the cookie: a sign-out
/// ends it for every copy of the cookie and every instance on the database, and an open page loses its
/// rights when the session expires.</summary>
public sealed class SignInSessionTests
{
    [Fact]
    public async Task A_copy_of_the_session_cookie_is_refused_once_its_person_signed_out()
    {
        await using var app = SoxAutoApp.Start();
        using var ada = await app.SignedInClientAsync("ada");
        var copy = SoxAutoApp.CookiesOf(ada).GetCookies(app.BaseAddress)["soxauto.session"]!;

        await SignOutAsync(ada);

        using var replay = app.AnonymousClient();
        SoxAutoApp.CookiesOf(replay).Add(app.BaseAddress, new Cookie(copy.Name, copy.Value));
        using var response = await replay.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_sign_out_on_one_instance_ends_the_session_on_another_instance_on_the_same_database()
    {
        await using var first = SoxAutoApp.Start();
        await using var second = SoxAutoApp.Start(settings: new Dictionary<string, string?> { ["SoxAuto:DataPath"] = first.DataPath });
        using var ada = await first.SignedInClientAsync("ada");
        var cookie = SoxAutoApp.CookiesOf(ada).GetCookies(first.BaseAddress)["soxauto.session"]!;
        using var elsewhere = second.AnonymousClient();
        SoxAutoApp.CookiesOf(elsewhere).Add(second.BaseAddress, new Cookie(cookie.Name, cookie.Value));
        using (var before = await elsewhere.GetAsync("/runs"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await SignOutAsync(ada);

        using var after = await elsewhere.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task When_the_session_expires_an_action_on_an_open_page_is_refused_and_the_page_loses_its_rights()
    {
        using var data = new TempDataFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Checked every hour: this test is about the check before an action, not the periodic one.
        await using var services = await CircuitServicesAsync(data, clock, TimeSpan.FromHours(1));
        await using var circuit = services.CreateAsyncScope();
        var (page, signedOut) = await OpenPageAsync(circuit.ServiceProvider, clock);
        var person = circuit.ServiceProvider.GetRequiredService<SignedInPerson>();
        Assert.Equal("Ada Auditor", (await person.ActorAsync()).Name);   // while the session is open

        clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<SessionEndedException>(person.ActorAsync);
        await signedOut.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(page.Ended);
        Assert.False((await page.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task An_open_page_re_checks_its_session_by_itself_and_loses_its_rights_when_it_expired()
    {
        using var data = new TempDataFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CircuitServicesAsync(data, clock, TimeSpan.FromMilliseconds(50));
        await using var circuit = services.CreateAsyncScope();
        var (page, signedOut) = await OpenPageAsync(circuit.ServiceProvider, clock);

        clock.Advance(TimeSpan.FromHours(9));   // nobody acts: the page's own check finds it

        await signedOut.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(page.Ended);
    }

    /// <summary>What a page's circuit has: the revalidating provider and SignedInPerson, over a real
    /// database, with a clock the test moves.</summary>
    private static async Task<ServiceProvider> CircuitServicesAsync(TempDataFolder data, FakeTimeProvider clock, TimeSpan check)
    {
        var services = new ServiceCollection();
        services.AddDbContextFactory<SoxAutoDb>(o => o.UseSqlite($"Data Source={data.Folder.DatabaseFile};Pooling=False"));
        services.AddSingleton<TimeProvider>(clock)
            .AddSingleton<SignInSessions>()
            .AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider())
            .AddSingleton(new SessionCheck(check))
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddScoped<AuthenticationStateProvider, SessionRevalidation>()
            .AddScoped(_ => new ClientOrigin { Address = "192.0.2.10" })
            .AddScoped<SignedInPerson>();
        var provider = services.BuildServiceProvider();
        await using var db = await provider.GetRequiredService<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        return provider;
    }

    /// <summary>Ada signs in (a session of eight hours) and opens a page; the task completes when the
    /// page's identity becomes anonymous.</summary>
    private static async Task<(SessionRevalidation Page, Task SignedOut)> OpenPageAsync(IServiceProvider circuit, FakeTimeProvider clock)
    {
        var session = await circuit.GetRequiredService<SignInSessions>().StartAsync("Ada Auditor", TestPeople.SubjectOf("Ada Auditor"), clock.GetUtcNow().AddHours(8));
        var page = (SessionRevalidation)circuit.GetRequiredService<AuthenticationStateProvider>();
        var signedOut = new TaskCompletionSource();
        page.AuthenticationStateChanged += async state => { if ((await state).User.Identity?.IsAuthenticated != true) signedOut.TrySetResult(); };
        page.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(Roles.NameClaim, "Ada Auditor"), new Claim(Roles.RoleClaim, Roles.Auditor), new Claim(SignInSessions.Claim, session), new Claim(SignedInPerson.SubjectClaim, "ada")],
            "LocalDemo", Roles.NameClaim, Roles.RoleClaim)))));
        return (page, signedOut.Task);
    }

    private static async Task SignOutAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/auth/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await SoxAutoApp.FormTokenAsync(client),
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
