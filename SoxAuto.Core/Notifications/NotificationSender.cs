using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Notifications;

/// <summary>
/// Sends what the outbox holds, in the background, apart from any run. Each message is first claimed with
/// one conditional update in the database (it must be pending, due, and held by nobody), so that however
/// many processes share the database, one sends it; the claim lasts longer than an attempt may take.
/// A failed attempt is tried again after an exponentially growing wait with jitter, up to
/// SoxAuto:Notifications:MaxAttempts; then the message is marked Failed for an admin to see.
/// </summary>
public sealed class NotificationSender(
    IDbContextFactory<SoxAutoDb> dbs, NotificationOutbox outbox, EmailChannel email, WebhookChannel webhook,
    TimeProvider clock, IOptions<NotificationOptions> options, ILogger<NotificationSender> log) : BackgroundService
{
    /// <summary>This process: host, process id, instance.</summary>
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.IsOn) return;   // notifications are off; the admin page says so
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(null, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Looking at the notification outbox failed; trying again shortly");
            }
            try
            {
                await outbox.WaitForWorkAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Makes one attempt at every message that is due (about <paramref name="subject"/> only, if
    /// given) and that no other process holds. Returns how many were sent.</summary>
    public async Task<int> SendDueAsync(string? subject, CancellationToken ct)
    {
        var sent = 0;
        var tried = new HashSet<int>();
        while (await ClaimNextAsync(subject, tried, ct) is { } message)
        {
            tried.Add(message.Id);
            if (await AttemptAsync(message, ct)) sent++;
        }
        return sent;
    }

    private async Task<Notification?> ClaimNextAsync(string? subject, HashSet<int> tried, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + options.Value.ClaimDuration;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var due = await Due(db, now, subject).OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).Select(n => n.Id).Take(20).ToListAsync(ct);
        foreach (var id in due.Where(id => !tried.Contains(id)))
        {
            // The claim: only one process's update can find the message still due and unheld.
            var claimed = await Due(db, now, subject).Where(n => n.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(n => n.ClaimedBy, _holder)
                .SetProperty(n => n.ClaimExpiresAt, until)
                .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                .SetProperty(n => n.LastAttemptAt, now), ct) == 1;
            if (claimed)
                return await db.Notifications.AsNoTracking().FirstAsync(n => n.Id == id, ct);
        }
        return null;
    }

    private static IQueryable<Notification> Due(SoxAutoDb db, DateTimeOffset now, string? subject) =>
        db.Notifications.Where(n => n.State == NotificationState.Pending && n.NextAttemptAt <= now
            && (n.ClaimExpiresAt == null || n.ClaimExpiresAt <= now)
            && (subject == null || n.Subject == subject));

    /// <summary>One attempt, bounded by SoxAuto:Notifications:Timeout; true when the receiver accepted it.</summary>
    private async Task<bool> AttemptAsync(Notification message, CancellationToken stopping)
    {
        var o = options.Value;
        string? error = null;
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            attempt.CancelAfter(o.Timeout);
            try
            {
                if (message.Channel == NotificationChannel.Email) await email.SendAsync(message, attempt.Token);
                else await webhook.SendAsync(message, attempt.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: let go of it, so that the next start or another process tries again at once.
                await UpdateHeldAsync(message.Id, u => u.SetProperty(n => n.ClaimExpiresAt, clock.GetUtcNow()));
                return false;
            }
            catch (OperationCanceledException)
            {
                error = $"No answer within {o.Timeout} (SoxAuto:Notifications:Timeout).";
            }
            catch (Exception e)
            {
                error = NotificationErrors.Describe(e);
            }
        }

        var now = clock.GetUtcNow();
        if (error is null)
        {
            log.LogInformation("Notification {NotificationId} ({Event} about {Subject}) sent by {Channel} to {Destination}",
                message.Id, message.Kind.EventName(), message.Subject, message.Channel, message.Destination);
            await UpdateHeldAsync(message.Id, u => u
                .SetProperty(n => n.State, NotificationState.Sent)
                .SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.LastError, (string?)null)
                .SetProperty(n => n.ClaimedBy, (string?)null)
                .SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null));
            return true;
        }

        var final = message.Attempts >= o.MaxAttempts;
        var next = now + Backoff(message.Attempts, o.RetryBaseDelay, o.MaxRetryDelay);
        log.LogWarning("Notification {NotificationId} ({Event} about {Subject}) by {Channel} failed, attempt {Attempt} of {MaxAttempts}: {Error}",
            message.Id, message.Kind.EventName(), message.Subject, message.Channel, message.Attempts, o.MaxAttempts, error);
        await UpdateHeldAsync(message.Id, u => u
            .SetProperty(n => n.State, final ? NotificationState.Failed : NotificationState.Pending)
            .SetProperty(n => n.NextAttemptAt, final ? now : next)
            .SetProperty(n => n.LastError, error)
            .SetProperty(n => n.ClaimedBy, (string?)null)
            .SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null));
        return false;
    }

    /// <summary>Records an attempt's outcome, if this process still holds the message. Not cancelled by a
    /// stop: an accepted message must be marked sent, or it would be sent again.</summary>
    private async Task UpdateHeldAsync(int id,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Notification>> set)
    {
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        if (await db.Notifications.Where(n => n.Id == id && n.ClaimedBy == _holder).ExecuteUpdateAsync(set, CancellationToken.None) == 0)
            log.LogWarning("Notification {NotificationId} was no longer held by this process when its attempt ended", id);
    }

    /// <summary>The wait after <paramref name="attempts"/> failed attempts: base × 2^(attempts-1), at most
    /// <paramref name="max"/>, of which a random half is taken off (so that many messages failing together
    /// do not come back together).</summary>
    internal static TimeSpan Backoff(int attempts, TimeSpan baseDelay, TimeSpan max)
    {
        var grown = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var cap = Math.Min(grown, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(cap * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
