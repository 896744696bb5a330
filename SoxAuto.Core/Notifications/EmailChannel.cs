using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SoxAuto.Core.Notifications;

/// <summary>Sends a notification as a plain-text e-mail over SMTP (MailKit), to the addresses the outbox
/// row names, from SoxAuto:Notifications:Email:From.</summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options)
{
    public async Task SendAsync(Notification n, CancellationToken ct)
    {
        var o = options.Value;
        var e = o.Email;
        if (!o.EmailOn)
            throw new NotificationException("E-mail is no longer configured (SoxAuto:Notifications:Email:Host is empty).");
        var message = new MimeMessage
        {
            Subject = n.Title,
            MessageId = $"{n.EventId}@soxauto",
            Body = new TextPart("plain") { Text = n.Text },
        };
        message.From.Add(MailboxAddress.Parse(e.From!));
        message.To.AddRange(InternetAddressList.Parse(n.Destination));
        message.Headers.Add("X-SoxAuto-Event", n.Kind.EventName());

        using var smtp = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        await smtp.ConnectAsync(e.Host!, e.Port, Security(e.Security), ct);
        if (!string.IsNullOrEmpty(e.User))
            await smtp.AuthenticateAsync(e.User, e.Password ?? "", ct);
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(quit: true, ct);
    }

    private static SecureSocketOptions Security(string mode) => mode.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "sslonconnect" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
