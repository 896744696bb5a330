namespace SoxAuto.Core.Notifications;

/// <summary>What a notification is about. Its webhook event name is <see cref="NotificationKinds.EventName"/>.</summary>
public enum NotificationKind { RunFailed, RunAwaitingReview, BatchEnded }

/// <summary>How a notification travels: one outbox row per channel, so each is retried on its own.</summary>
public enum NotificationChannel { Email, Webhook }

/// <summary>Pending until sent; Failed once every attempt failed (an admin may send it again).</summary>
public enum NotificationState { Pending, Sent, Failed }

/// <summary>One message in the outbox (table Notifications), written with the event it announces and sent
/// later by <see cref="NotificationSender"/>. The process sending it holds it until
/// <see cref="ClaimExpiresAt"/>, so that however many processes share the database, one sends it.</summary>
public sealed class Notification
{
    public int Id { get; set; }
    /// <summary>The event's id, the same for its e-mail and its webhook and for every attempt, so that a
    /// receiver can recognise a message it has already had (the webhook's "id" and X-SoxAuto-Delivery).</summary>
    public required string EventId { get; set; }
    public NotificationKind Kind { get; set; }
    public NotificationChannel Channel { get; set; }
    /// <summary>What it is about, as the audit trail names it, e.g. run/12.</summary>
    public required string Subject { get; set; }
    /// <summary>The e-mail's subject line, and the webhook's "title".</summary>
    public required string Title { get; set; }
    /// <summary>The e-mail's body, and the webhook's "text".</summary>
    public required string Text { get; set; }
    /// <summary>Where to look, e.g. the run's page, when SoxAuto:Notifications:AppUrl is set.</summary>
    public string? Link { get; set; }
    /// <summary>The webhook's JSON body, fixed when the message is written, so every attempt sends the same bytes.</summary>
    public required string Body { get; set; }
    /// <summary>Whom it goes to, for people to read: the e-mail addresses, or the webhook's host.</summary>
    public required string Destination { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public NotificationState State { get; set; }
    /// <summary>Attempts so far; an attempt counts from the moment a process claims the message.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    /// <summary>Why the last attempt failed, in the receiver's words where it gave any.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The process sending it now (see <see cref="Runs.RunLeases.Holder"/>), or null.</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
}

public static class NotificationKinds
{
    /// <summary>The webhook's "event" and X-SoxAuto-Event: run.failed, run.awaiting-review, batch.ended.</summary>
    public static string EventName(this NotificationKind kind) => kind switch
    {
        NotificationKind.RunFailed => "run.failed",
        NotificationKind.RunAwaitingReview => "run.awaiting-review",
        NotificationKind.BatchEnded => "batch.ended",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>For people: "Run failed", "Run awaits review", "Batch ended".</summary>
    public static string Words(this NotificationKind kind) => kind switch
    {
        NotificationKind.RunFailed => "Run failed",
        NotificationKind.RunAwaitingReview => "Run awaits review",
        NotificationKind.BatchEnded => "Batch ended",
        _ => kind.ToString(),
    };
}
