using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Invites;

/// <summary>
/// Sends the invitation through an SMTP relay (<see cref="InviteOptions"/>). A failed send is logged by exception
/// type and recipient user id only (the message of an SMTP error can quote the envelope) and reported as
/// <c>emailSent=false</c>: the invitation itself stands and can be resent.
/// </summary>
public sealed partial class SmtpInviteSender(IOptions<InviteOptions> options, ILogger<SmtpInviteSender> logger) : IInviteSender
{
    public async Task<bool> SendAsync(InviteMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var client = new SmtpClient(o.SmtpHost, o.SmtpPort)
        {
            EnableSsl = o.SmtpEnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = o.SmtpTimeoutMs,
        };
        if (!string.IsNullOrEmpty(o.SmtpUserName))
        {
            client.Credentials = new NetworkCredential(o.SmtpUserName, o.SmtpPassword);
        }

        using var mail = new MailMessage(new MailAddress(o.FromAddress, message.FromName), new MailAddress(message.To))
        {
            Subject = "You have been invited",
            Body = Body(message),
            IsBodyHtml = false,

            // UTF-8 names, quoted-printable on the wire (the link stays readable to plain-text mail tools).
            BodyEncoding = System.Text.Encoding.UTF8,
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.QuotedPrintable,
            SubjectEncoding = System.Text.Encoding.UTF8,
        };
        try
        {
            await client.SendMailAsync(mail, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SmtpException or InvalidOperationException or IOException)
        {
            Failed(logger, ex.GetType().Name, message.UserId);
            return false;
        }
    }

    private static string Body(InviteMessage m) =>
        $"""
        Hello{(string.IsNullOrWhiteSpace(m.FirstName) ? "" : " " + m.FirstName)},

        You have been invited by {m.FromName}. Accept the invitation here:

        {m.AcceptLink}

        The link expires at {m.ExpiresAt:u}.
        """;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invitation mail for user {UserId} was not sent: {ErrorType}")]
    private static partial void Failed(ILogger logger, string errorType, Guid userId);
}
