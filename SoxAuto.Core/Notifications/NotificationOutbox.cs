using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Audit;
using SoxAuto.Core.Data;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Notifications;

/// <summary>
/// Where notifications are written: a table in the database (the outbox), one row per channel, sent later
/// by <see cref="NotificationSender"/>. Writing a message never sends anything and never waits on a mail
/// server or a webhook, so it cannot block or fail what it announces. With nothing configured under
/// SoxAuto:Notifications, nothing is written.
/// </summary>
public sealed class NotificationOutbox(IDbContextFactory<SoxAutoDb> dbs, AuditTrail audit, TimeProvider clock, IOptions<NotificationOptions> options)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public NotificationOptions Options => options.Value;

    /// <summary>Adds <paramref name="message"/> to <paramref name="db"/>'s pending changes, so that it is saved
    /// in the same transaction as the state it announces (a run's final state). Call <see cref="Wake"/> once saved.</summary>
    public void Add(SoxAutoDb db, NotificationMessage message)
    {
        var o = options.Value;
        if (!o.IsOn) return;
        var now = clock.GetUtcNow();
        var eventId = Guid.NewGuid().ToString("N");
        var link = Link(o, message.LinkPath);
        var text = message.LinkPath is null ? message.Text
            : link is not null ? $"{message.Text}\n\n{message.LinkText}: {link}"
            : $"{message.Text}\n\n{message.LinkText} in SoxAuto at {message.LinkPath}";
        var body = JsonSerializer.Serialize(new
        {
            id = eventId,
            @event = message.Kind.EventName(),
            subject = message.Subject,
            title = message.Title,
            text,
            link,
            createdAt = now,
            data = message.Data,
        }, Json);

        Notification Row(NotificationChannel channel, string destination) => new()
        {
            EventId = eventId,
            Kind = message.Kind,
            Channel = channel,
            Subject = message.Subject,
            Title = message.Title,
            Text = text,
            Link = link,
            Body = body,
            Destination = destination,
            CreatedAt = now,
            State = NotificationState.Pending,
            NextAttemptAt = now,
        };

        if (o.EmailOn && o.Email.To.For(message.Kind) is { } to && NotificationOptions.TryParseAddresses(to, out var addresses))
            db.Notifications.Add(Row(NotificationChannel.Email, addresses.ToString()));
        if (o.WebhookOn)
            db.Notifications.Add(Row(NotificationChannel.Webhook, new Uri(o.Webhook.Url!).Host));
    }

    /// <summary>Writes a notification on its own, e.g. when a batch of runs has ended; the sender takes it from
    /// there. Returns at once, whatever the mail server or webhook receiver does.</summary>
    public async Task EnqueueAsync(NotificationMessage message, CancellationToken ct = default)
    {
        if (!options.Value.IsOn) return;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            Add(db, message);
            await db.SaveChangesAsync(ct);
        }
        Wake();
    }

    /// <summary>An admin asks for a message that was sent or finally failed to be sent once more: it is
    /// pending again with a fresh count of attempts, and the request is recorded in the audit trail.</summary>
    public async Task SendAgainAsync(int id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin may send a notification again.");
        if (!options.Value.IsOn)
            throw new NotificationException("Notifications are off (nothing is configured under SoxAuto:Notifications), so nothing can be sent.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var n = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotificationException($"There is no notification {id}.");
        var now = clock.GetUtcNow();
        // Conditional, so that two admins clicking at once (or a message still being sent) change it once.
        var changed = await db.Notifications.Where(x => x.Id == id && x.State != NotificationState.Pending).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.State, NotificationState.Pending)
            .SetProperty(x => x.Attempts, 0)
            .SetProperty(x => x.NextAttemptAt, now)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        if (changed == 0)
            throw new NotificationException($"Notification {id} is waiting to be sent already.");
        var was = n.State == NotificationState.Failed ? $"it had failed after {n.Attempts} attempt(s): {n.LastError}" : $"it was sent at {UtcTime.Text(n.SentAt)}";
        await audit.RecordAsync(actor, "notification.resent", $"notification/{id}",
            $"{n.Kind.Words()} ({n.Subject}) by {n.Channel} to {n.Destination}; {was}", ct);
        Wake();
    }

    /// <summary>What the outbox holds, newest first (at most <paramref name="take"/>), and how many messages
    /// are in each state: what admins see on the notifications page.</summary>
    public async Task<(IReadOnlyList<Notification> Recent, IReadOnlyDictionary<NotificationState, int> Counts)> RecentAsync(
        int take, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var recent = await db.Notifications.AsNoTracking().OrderByDescending(n => n.Id).Take(take).ToListAsync(ct);
        var counts = await db.Notifications.GroupBy(n => n.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return (recent, Enum.GetValues<NotificationState>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0));
    }

    /// <summary>Tells this process's sender that a message is waiting (other processes find it by polling).</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/>.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    private static string? Link(NotificationOptions o, string? path) =>
        string.IsNullOrWhiteSpace(o.AppUrl) || path is null ? null : o.AppUrl.TrimEnd('/') + "/" + path.TrimStart('/');

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
