namespace SoxAuto.Core.Notifications;

/// <summary>What to tell people about an event: <paramref name="Subject"/> names what it is about as the
/// audit trail does (run/12, batch/3); <paramref name="Title"/> is the e-mail's subject line;
/// <paramref name="Text"/> the body; <paramref name="LinkPath"/> the page to open (e.g. /runs/12), made an
/// absolute link with SoxAuto:Notifications:AppUrl and introduced by <paramref name="LinkText"/>;
/// <paramref name="Data"/> the webhook's machine-readable "data" (serialized as JSON).</summary>
public sealed record NotificationMessage(
    NotificationKind Kind, string Subject, string Title, string Text,
    string? LinkPath = null, string LinkText = "Open it", object? Data = null);

/// <summary>A notification action that cannot be done; the message is for the user.</summary>
public sealed class NotificationException(string message, Exception? inner = null) : Exception(message, inner);
