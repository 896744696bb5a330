using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SoxAuto.Core.Notifications;

/// <summary>Why an attempt failed, in one line an admin can act on.</summary>
internal static class NotificationErrors
{
    private const int MaxLength = 1000;

    public static string Describe(Exception e)
    {
        var text = e switch
        {
            NotificationException => e.Message,
            SmtpCommandException smtp => $"The SMTP server refused ({(int)smtp.StatusCode} {smtp.StatusCode}): {smtp.Message.Trim()}",
            SmtpProtocolException => $"The SMTP server broke the protocol: {e.Message}",
            AuthenticationException => $"The SMTP server refused the sign-in (SoxAuto:Notifications:Email:User / Password): {e.Message}",
            SslHandshakeException => $"The TLS handshake with the SMTP server failed (SoxAuto:Notifications:Email:Security): {e.Message}",
            ServiceNotConnectedException or SocketException => $"Could not reach the server: {e.Message}",
            HttpRequestException http => $"Could not reach the webhook: {http.Message}{(http.InnerException is { } inner ? " " + inner.Message : "")}",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }
}
