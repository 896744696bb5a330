using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace SoxAuto.Core.Notifications;

/// <summary>The "SoxAuto:Notifications" section (docs/configuration.md, docs/operations/notifications.md).
/// Nothing configured means notifications are off.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "SoxAuto:Notifications";

    /// <summary>The address people open SoxAuto at (e.g. https://soxauto.example.com), for links in messages.</summary>
    public string? AppUrl { get; set; }

    public EmailSettings Email { get; set; } = new();
    public WebhookSettings Webhook { get; set; } = new();

    /// <summary>Attempts per message before it is marked Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each further wait doubles, up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt (connect, sign in, send; or the webhook's POST) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox is looked at for messages due (new messages of this process wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool EmailOn => !string.IsNullOrWhiteSpace(Email.Host);
    public bool WebhookOn => !string.IsNullOrWhiteSpace(Webhook.Url);
    public bool IsOn => EmailOn || WebhookOn;

    /// <summary>How long a process holds a message it sends: longer than an attempt may take.</summary>
    public TimeSpan ClaimDuration => Timeout + TimeSpan.FromMinutes(1);

    public sealed class EmailSettings
    {
        public string? Host { get; set; }
        [Range(1, 65535)]
        public int Port { get; set; } = 587;
        /// <summary>StartTls (the default), SslOnConnect (implicit TLS, usually port 465) or None.</summary>
        public string Security { get; set; } = "StartTls";
        public string? User { get; set; }
        /// <summary>From the environment only (SoxAuto__Notifications__Email__Password).</summary>
        public string? Password { get; set; }
        public string? From { get; set; }
        public Recipients To { get; set; } = new();
    }

    /// <summary>Comma-separated addresses per kind of message; a kind without recipients is not e-mailed.</summary>
    public sealed class Recipients
    {
        public string? RunFailed { get; set; }
        public string? RunAwaitingReview { get; set; }
        public string? BatchEnded { get; set; }

        public string? For(NotificationKind kind) => kind switch
        {
            NotificationKind.RunFailed => RunFailed,
            NotificationKind.RunAwaitingReview => RunAwaitingReview,
            NotificationKind.BatchEnded => BatchEnded,
            _ => null,
        };
    }

    public sealed class WebhookSettings
    {
        public string? Url { get; set; }
        /// <summary>The shared secret the signature is made with. From the environment only.</summary>
        public string? Secret { get; set; }
    }

    public const int MinSecretLength = 16;
    internal static readonly string[] SecurityModes = ["StartTls", "SslOnConnect", "None"];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        const string email = $"{Section}:Email", webhook = $"{Section}:Webhook";
        if (!string.IsNullOrWhiteSpace(AppUrl) && !IsHttpUrl(AppUrl))
            yield return Problem(nameof(AppUrl), $"{Section}:AppUrl = '{AppUrl}' is not an http or https address such as https://soxauto.example.com.");
        if (MaxRetryDelay < RetryBaseDelay)
            yield return Problem(nameof(MaxRetryDelay), $"{Section}:MaxRetryDelay ({MaxRetryDelay}) must be at least {Section}:RetryBaseDelay ({RetryBaseDelay}).");

        var e = Email;
        var kinds = Enum.GetValues<NotificationKind>();
        if (EmailOn)
        {
            if (!SecurityModes.Contains(e.Security, StringComparer.OrdinalIgnoreCase))
                yield return Problem(nameof(Email), $"{email}:Security = '{e.Security}' is not StartTls, SslOnConnect or None.");
            if (string.IsNullOrWhiteSpace(e.From))
                yield return Problem(nameof(Email), $"{email}:From is required with {email}:Host: the address messages come from.");
            else if (!MailboxAddress.TryParse(e.From, out _))
                yield return Problem(nameof(Email), $"{email}:From = '{e.From}' is not an e-mail address.");
            if (kinds.All(k => string.IsNullOrWhiteSpace(e.To.For(k))))
                yield return Problem(nameof(Email), $"{email}:Host is set but no recipients are: set {email}:To:RunFailed, :RunAwaitingReview and/or :BatchEnded.");
            foreach (var kind in kinds)
                if (e.To.For(kind) is { } list && !string.IsNullOrWhiteSpace(list) && !TryParseAddresses(list, out _))
                    yield return Problem(nameof(Email), $"{email}:To:{kind} = '{list}' is not a comma-separated list of e-mail addresses.");
            if (string.IsNullOrEmpty(e.User) != string.IsNullOrEmpty(e.Password))
                yield return Problem(nameof(Email), $"{email}:User and {email}:Password go together: set both (the password from the environment) or neither.");
        }
        else
        {
            var stray = new[] { ("From", e.From), ("User", e.User), ("Password", e.Password) }
                .Concat(kinds.Select(k => ($"To:{k}", e.To.For(k))))
                .FirstOrDefault(s => !string.IsNullOrWhiteSpace(s.Item2));
            if (stray.Item1 is not null)
                yield return Problem(nameof(Email), $"{email}:{stray.Item1} is set but {email}:Host is not, so no e-mail would be sent: set the SMTP server's host.");
        }

        if (WebhookOn)
        {
            if (!IsHttpUrl(Webhook.Url!))
                yield return Problem(nameof(Webhook), $"{webhook}:Url = '{Webhook.Url}' is not an http or https address.");
            if ((Webhook.Secret ?? "").Length < MinSecretLength)
                yield return Problem(nameof(Webhook), $"{webhook}:Secret is required with {webhook}:Url and must be at least {MinSecretLength} characters (e.g. `openssl rand -hex 32`), given through the environment.");
        }
        else if (!string.IsNullOrEmpty(Webhook.Secret))
        {
            yield return Problem(nameof(Webhook), $"{webhook}:Secret is set but {webhook}:Url is not, so no webhook would be called.");
        }
    }

    /// <summary>Addresses such as "a@x.org, Ann Auditor &lt;ann@x.org&gt;".</summary>
    public static bool TryParseAddresses(string list, out InternetAddressList addresses)
    {
        var parsed = InternetAddressList.TryParse(list, out var found);
        addresses = found ?? [];
        return parsed && addresses.Count > 0 && addresses.All(a => a is MailboxAddress);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static ValidationResult Problem(string member, string message) => new(message, [member]);
}
