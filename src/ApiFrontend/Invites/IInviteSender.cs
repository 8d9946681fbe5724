namespace Vectros.ApiFrontend.Invites;

/// <summary>
/// Delivers an invitation mail. Pluggable (<see cref="InviteOptions.Sender"/>): <see cref="LogInviteSender"/> by
/// default, <see cref="SmtpInviteSender"/> by configuration. Implementations must never log the token or the link.
/// </summary>
public interface IInviteSender
{
    /// <summary>True when the mail was handed to the transport; false (never an exception) when delivery failed.</summary>
    Task<bool> SendAsync(InviteMessage message, CancellationToken cancellationToken);
}

/// <summary>One invitation mail. <see cref="AcceptLink"/> carries the token: a credential, never logged.</summary>
public sealed record InviteMessage(
    Guid UserId,
    string To,
    string? FirstName,
    string FromName,
    string ContextId,
    string AcceptLink,
    DateTimeOffset ExpiresAt);
