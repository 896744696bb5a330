using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;
using SoxAuto.Core.Notifications;
using SoxAuto.Core.Runs;
using SoxAuto.Tests.Fixtures;

namespace SoxAuto.Tests.Integration.Operations;

/// <summary>
/// Notifications leave through the outbox to a real SMTP server and a webhook receiver started here. What
/// fails to be delivered never holds up a run, is retried with backoff, and is shown as failed in the end.
/// </summary>
public class NotificationTests
{
    private const string BrokenSql = "SELECT * FROM no_such_table WHERE {{period_end}} IS NOT NULL";
    private const string QuickSql = "SELECT 1 AS n WHERE {{period_end}} IS NOT NULL";
    private const string To = "controllers@example.com";
    private static readonly Actor Ada = new("Ada Auditor", "test") { Subject = TestPeople.SubjectOf("Ada Auditor") };

    [Fact]
    public async Task A_failed_run_is_e_mailed_and_posted_to_the_webhook_signed_with_the_shared_secret()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = await CoreHost.StartAsync(settings: Settings(smtp.Settings(To), hook.Settings()));
        await TestIpes.AddAsync(app.Services, "IPE_BROKEN", BrokenSql);

        var run = await app.Get<RunService>().RequestAsync("IPE_BROKEN", "2025-09", null, Ada);
        var failed = await app.WaitForFinalAsync(run.Id);
        Assert.Equal(RunState.Failed, failed.State);
        await RunWaits.UntilAsync(() => Task.FromResult(smtp.Messages.Count == 1 && hook.Requests.Count == 1), "the e-mail and the webhook call");

        var mail = smtp.Messages.Single();
        Assert.Equal([To], mail.To);
        Assert.Equal(SmtpServer.User, mail.User);
        Assert.Equal($"SoxAuto: run {run.Id} of IPE_BROKEN for 2025-09 failed", mail.Message.Subject);
        Assert.Contains(failed.Message!, mail.Message.TextBody);
        Assert.Contains("Run by Ada Auditor", mail.Message.TextBody);

        var call = hook.Requests.Single();
        AssertSignedWithTheSecret(call);
        Assert.Equal("run.failed", call.Headers["X-SoxAuto-Event"]);
        using var body = JsonDocument.Parse(call.Body);
        Assert.Equal("run.failed", body.RootElement.GetProperty("event").GetString());
        Assert.Equal($"run/{run.Id}", body.RootElement.GetProperty("subject").GetString());
        Assert.Equal(call.Headers["X-SoxAuto-Delivery"], body.RootElement.GetProperty("id").GetString());
        var data = body.RootElement.GetProperty("data").GetProperty("run");
        Assert.Equal(run.Id, data.GetProperty("id").GetInt32());
        Assert.Equal("Failed", data.GetProperty("status").GetString());
        Assert.Equal(failed.Message, data.GetProperty("message").GetString());

        await RunWaits.UntilAsync(async () => (await OutboxAsync(app)).All(n => n.State == NotificationState.Sent), "both messages marked sent");
    }

    [Fact]
    public async Task A_succeeded_run_is_announced_as_awaiting_review_with_its_hash_and_a_link_to_its_page()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        var settings = Settings(smtp.Settings(To), hook.Settings());
        settings["SoxAuto:Notifications:AppUrl"] = "https://soxauto.example.com/";
        await using var app = await CoreHost.StartAsync(settings: settings);
        await TestIpes.AddAsync(app.Services, "IPE_QUICK", QuickSql);

        var run = await app.Get<RunService>().RequestAsync("IPE_QUICK", "2025-09", null, Ada);
        var done = await app.WaitForFinalAsync(run.Id);
        Assert.True(done.State == RunState.Succeeded, done.Message);
        await RunWaits.UntilAsync(() => Task.FromResult(smtp.Messages.Count == 1 && hook.Requests.Count == 1), "the e-mail and the webhook call");

        var mail = smtp.Messages.Single().Message;
        Assert.Equal($"SoxAuto: run {run.Id} of IPE_QUICK for 2025-09 awaits review", mail.Subject);
        Assert.Contains(done.ExtractSha256!, mail.TextBody);
        Assert.Contains($"Review it: https://soxauto.example.com/runs/{run.Id}", mail.TextBody);
        using var body = JsonDocument.Parse(hook.Requests.Single().Body);
        Assert.Equal("run.awaiting-review", body.RootElement.GetProperty("event").GetString());
        Assert.Equal($"https://soxauto.example.com/runs/{run.Id}", body.RootElement.GetProperty("link").GetString());
        Assert.Equal(done.ExtractSha256, body.RootElement.GetProperty("data").GetProperty("run").GetProperty("extractSha256").GetString());
    }

    [Fact]
    public async Task A_webhook_receiver_that_is_down_does_not_hold_up_the_run_and_the_message_is_retried_until_it_is_accepted()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        hook.Accepting = false;
        var settings = Settings(hook.Settings());
        settings["SoxAuto:Notifications:MaxAttempts"] = "100";
        await using var app = await CoreHost.StartAsync(settings: settings);
        await TestIpes.AddAsync(app.Services, "IPE_QUICK", QuickSql);

        var run = await app.Get<RunService>().RequestAsync("IPE_QUICK", "2025-09", null, Ada);
        var done = await app.WaitForFinalAsync(run.Id);
        Assert.True(done.State == RunState.Succeeded, done.Message);
        Assert.Empty(hook.AcceptedRequests);

        // The receiver is refusing: the message stays pending and is tried again and again.
        await RunWaits.UntilAsync(() => Task.FromResult(hook.Requests.Count >= 2), "the webhook to be retried");
        var waiting = Assert.Single(await OutboxAsync(app));
        Assert.Equal(NotificationState.Pending, waiting.State);
        Assert.Contains("503", waiting.LastError);

        hook.Accepting = true;
        await RunWaits.UntilAsync(async () => (await OutboxAsync(app)).Single().State == NotificationState.Sent,
            "the message to be sent once the receiver is back");
        var accepted = Assert.Single(hook.AcceptedRequests);
        // Every attempt carried the same delivery id and the same body, so the receiver can tell it is one message.
        Assert.Single(hook.Requests.Select(r => r.Headers["X-SoxAuto-Delivery"]).Distinct());
        Assert.All(hook.Requests, r => Assert.Equal(accepted.Body, r.Body));
        AssertSignedWithTheSecret(accepted);
    }

    [Fact]
    public async Task Mail_that_cannot_be_delivered_ends_Failed_with_the_reason_and_an_admin_sends_it_again_once_the_server_is_back()
    {
        // The SMTP server's port, on which nobody listens yet: every attempt fails to connect.
        var port = LoopbackPort.Free();
        var settings = Settings(new Dictionary<string, string?>
        {
            ["SoxAuto:Notifications:Email:Host"] = "127.0.0.1",
            ["SoxAuto:Notifications:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SoxAuto:Notifications:Email:Security"] = "None",
            ["SoxAuto:Notifications:Email:User"] = SmtpServer.User,
            ["SoxAuto:Notifications:Email:Password"] = SmtpServer.Password,
            ["SoxAuto:Notifications:Email:From"] = "soxauto@example.com",
            ["SoxAuto:Notifications:Email:To:RunFailed"] = To,
            ["SoxAuto:Notifications:MaxAttempts"] = "3",
        });
        await using var app = await CoreHost.StartAsync(settings: settings);
        await TestIpes.AddAsync(app.Services, "IPE_BROKEN", BrokenSql);

        var run = await app.Get<RunService>().RequestAsync("IPE_BROKEN", "2025-09", null, Ada);
        Assert.Equal(RunState.Failed, (await app.WaitForFinalAsync(run.Id)).State);
        await RunWaits.UntilAsync(async () => (await OutboxAsync(app)).Single().State == NotificationState.Failed, "the e-mail to be given up");
        var failed = (await OutboxAsync(app)).Single();
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("Could not reach the server", failed.LastError);

        var outbox = app.Get<NotificationOutbox>();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => outbox.SendAgainAsync(failed.Id, Ada));
        await using var smtp = await SmtpServer.StartAsync(port);
        await outbox.SendAgainAsync(failed.Id, new Actor("Alan Admin", "test", IsAdmin: true) { Subject = TestPeople.SubjectOf("Alan Admin") });

        await RunWaits.UntilAsync(() => Task.FromResult(smtp.Messages.Count == 1), "the e-mail sent again");
        Assert.Equal($"SoxAuto: run {run.Id} of IPE_BROKEN for 2025-09 failed", smtp.Messages.Single().Message.Subject);
        await RunWaits.UntilAsync(async () => (await OutboxAsync(app)).Single().State == NotificationState.Sent, "the e-mail marked sent");
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        var resent = await db.AuditTrail.SingleAsync(a => a.Action == "notification.resent");
        Assert.Equal("Alan Admin", resent.Who);
        Assert.Contains("it had failed after 3 attempt(s): Could not reach the server", resent.Detail);
    }

    [Fact]
    public async Task Several_processes_sharing_the_database_send_each_message_exactly_once()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        hook.Delay = TimeSpan.FromMilliseconds(30);   // slow, so that the senders overlap
        var settings = Settings(hook.Settings());
        await using var first = await CoreHost.StartAsync(settings: settings);
        // Two more instances on the same data folder, each with its own sender polling the shared outbox.
        await using var second = await CoreHost.StartAsync(first.DataPath, settings);
        await using var third = await CoreHost.StartAsync(first.DataPath, settings);

        const int count = 40;
        var outboxes = new[] { first, second, third }.Select(h => h.Get<NotificationOutbox>()).ToArray();
        await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            outboxes[i % 3].EnqueueAsync(new NotificationMessage(NotificationKind.RunFailed, $"run/{i}", $"Run {i} failed", "test"))));

        await RunWaits.UntilAsync(async () => (await OutboxAsync(first)).Count(n => n.State == NotificationState.Sent) == count,
            "every message to be sent", TimeSpan.FromMinutes(2));
        var deliveries = hook.Requests.Select(r => r.Headers["X-SoxAuto-Delivery"]).ToList();
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(count, deliveries.Distinct().Count());
        Assert.All(await OutboxAsync(first), n => Assert.Equal(1, n.Attempts));
    }

    private static void AssertSignedWithTheSecret(WebhookReceiver.Request call)
    {
        // Computed here from the documented recipe, not with SoxAuto's own code.
        var timestamp = call.Headers["X-SoxAuto-Timestamp"];
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(call.Body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookReceiver.Secret), signed));
        Assert.Equal(expected, call.Headers["X-SoxAuto-Signature"]);
        Assert.StartsWith("application/json", call.Headers["Content-Type"]);
    }

    /// <summary>Quick retries and polls, so that a test sees several attempts within seconds.</summary>
    private static Dictionary<string, string?> Settings(params Dictionary<string, string?>[] parts)
    {
        var all = new Dictionary<string, string?>
        {
            ["SoxAuto:Notifications:RetryBaseDelay"] = "00:00:00.100",
            ["SoxAuto:Notifications:MaxRetryDelay"] = "00:00:00.400",
            ["SoxAuto:Notifications:PollInterval"] = "00:00:00.050",
            ["SoxAuto:Notifications:Timeout"] = "00:00:10",
        };
        foreach (var part in parts)
            foreach (var (key, value) in part) all[key] = value;
        return all;
    }

    private static async Task<List<Notification>> OutboxAsync(CoreHost app)
    {
        await using var db = await app.Get<IDbContextFactory<SoxAutoDb>>().CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }
}
