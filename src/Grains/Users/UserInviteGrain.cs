using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.History;
using Vectros.Grains.Records;

namespace Vectros.Grains.Users;

/// <summary>
/// The invitation of one email into one app context (spec L4924, L4986; API-DELTA §8.8). A new invite creates the
/// PENDING user and the invitation row in one batch, with the user's CREATE history row; a repeat (or a resend)
/// rotates the token, so only the newest link works. Nothing is cached: the user grain may delete the user (and
/// with it the invitation) at any time. 409s: scoped callers get one uniform answer; only a root key learns that
/// the email is <c>email_already_associated</c> with an identity elsewhere in the account.
/// </summary>
public sealed class UserInviteGrain(NpgsqlDataSource dataSource, InviteTokens tokens, TimeProvider time) : Grain, IUserInviteGrain
{
    private const string AssociatedCode = "email_already_associated";
    private const string UniformMessage = "This email cannot be invited into this app context.";

    private readonly UserStore _store = new(dataSource);

    async Task<InviteIssued> IUserInviteGrain.InviteAsync(CallerContext caller, InviteCommand command, bool resendOnly)
    {
        if (!string.Equals(this.GetPrimaryKeyString(), UserRules.InviteKey(caller.TenantId, command.ContextId, command.Email), StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The invite grain is keyed by the caller's tenant, the context and the email.");
        }

        var context = await GrainFactory.GetGrain<IAppContextGrain>(AppContextKeys.Composite(caller.TenantId, command.ContextId)).GetAsync();
        if (context is null || context.Status != AppContextStatus.Active)
        {
            throw new NotFoundException("The app context does not exist in your account.");
        }

        await InviteAccess.CheckAsync(GrainFactory, caller, command);
        var user = await _store.FindByEmailAsync(caller.TenantId, command.Email);
        var inviteContext = user is null ? null : await _store.InviteContextAsync(caller.TenantId, user.Id);
        var pendingHere = user is { Status: UserRules.Pending } && inviteContext == command.ContextId;
        if (resendOnly && !pendingHere)
        {
            throw new NotFoundException("No pending invitation matches this email and app context.");
        }

        if (pendingHere)
        {
            // A repeat of a pending invite is a resend: it reveals and changes the invitation, so it also needs read and update (CL 0.38).
            if (!caller.Can("users:r") || !caller.Can("users:u"))
            {
                throw Conflict(caller, member: false);
            }

            return await RotateAsync(caller, command, user!.Id);
        }

        if (user is not null)
        {
            // An ACTIVE or SUSPENDED user is a member (plain 409); a PENDING one invited into another context is an identity elsewhere.
            throw Conflict(caller, member: user.Status != UserRules.Pending);
        }

        if (await _store.EmailInSiblingTenantAsync(caller.TenantId, command.Email))
        {
            throw Conflict(caller, member: false);
        }

        return await CreateAsync(caller, command);
    }

    private async Task<InviteIssued> CreateAsync(CallerContext caller, InviteCommand command)
    {
        var id = Guid.CreateVersion7();
        var now = RecordViews.Truncate(time.GetUtcNow());
        var expiresAt = now + command.Ttl;
        var token = tokens.Issue(caller.TenantId, id, command.ContextId, expiresAt);
        var row = new UserRow
        {
            Id = id,

            // externalId is required and unique; an invited user has none of the partner's yet, so it is its own id.
            ExternalId = id.ToString(),
            Email = command.Email,
            Type = "HUMAN",
            Status = UserRules.Pending,
            Role = UserRules.Member,
            StoredPayload = "{}",
            CreatedBy = caller.CredentialId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        var batch = new UserWriteBatch(caller.TenantId, id);
        batch.Insert(row);
        batch.UpsertInvite(command.ContextId, command.Email, InviteTokens.Hash(token), expiresAt, command.AccessProfileJson, command.FirstName, now);
        batch.AppendVersion(new VersionEntry(caller.TenantId, UserRules.TenantHome, UserRules.HistoryKind, id.ToString(), "CREATE", null, null,
            VersionDiff.Compute(null, UserViews.DiffShape(row, [])), $"User invited into app context '{command.ContextId}'", caller.CredentialId, now));
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (ConflictException ex) when (ex.ErrorCode == "EMAIL_IN_USE")
        {
            // Another context's invite (or a create) took the email first.
            throw Conflict(caller, member: false);
        }

        return new InviteIssued(id, expiresAt, token, Resent: false);
    }

    private async Task<InviteIssued> RotateAsync(CallerContext caller, InviteCommand command, Guid userId)
    {
        var now = RecordViews.Truncate(time.GetUtcNow());
        var expiresAt = now + command.Ttl;
        var token = tokens.Issue(caller.TenantId, userId, command.ContextId, expiresAt);
        var batch = new UserWriteBatch(caller.TenantId, userId);

        // The pending permissions stay as first granted (spec L4986); only the token and its expiry change.
        batch.UpsertInvite(command.ContextId, command.Email, InviteTokens.Hash(token), expiresAt, command.AccessProfileJson, command.FirstName, now);
        await batch.ExecuteAsync(dataSource);
        return new InviteIssued(userId, expiresAt, token, Resent: true);
    }

    private static ConflictException Conflict(CallerContext caller, bool member) =>
        !caller.IsRoot ? new ConflictException("CONFLICT", UniformMessage)
        : member ? new ConflictException("CONFLICT", "This email already belongs to an active or suspended member of the account.")
        : new ConflictException(AssociatedCode, "This email is already associated with an identity elsewhere in your account.");
}
