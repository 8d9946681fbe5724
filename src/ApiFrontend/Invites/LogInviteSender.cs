namespace Vectros.ApiFrontend.Invites;

/// <summary>
/// The default sender: no mail leaves the server; a log line records that an invitation was issued, naming the user
/// id and context only (never the token, the link or the address). Reports <c>emailSent=false</c>, which is the
/// truth: nothing was delivered.
/// </summary>
public sealed partial class LogInviteSender(ILogger<LogInviteSender> logger) : IInviteSender
{
    public Task<bool> SendAsync(InviteMessage message, CancellationToken cancellationToken)
    {
        Issued(logger, message.UserId, message.ContextId, message.ExpiresAt);
        return Task.FromResult(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Invitation for user {UserId} into app context {ContextId} issued (expires {ExpiresAt:o}); no mail sent: Vectros:Invites:Sender is 'log'")]
    private static partial void Issued(ILogger logger, Guid userId, string contextId, DateTimeOffset expiresAt);
}
