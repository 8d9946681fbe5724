using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.History;
using Vectros.Grains.Metering;
using Vectros.Grains.Records;
using Vectros.Grains.Security;

namespace Vectros.Grains.Users;

/// <summary>
/// One account-wide user, keyed <c>tenant#id</c>, modelled on <c>EntityGrain</c>: the row is loaded lazily and
/// cached in the activation; every write is one batch guarded by the version this activation last saw. History is
/// always kept (spec L4888), with sensitive values stripped and never an invite token.
/// </summary>
public sealed partial class UserGrain(
    NpgsqlDataSource dataSource, TenantKeyring keyring, InviteTokens tokens, IUsageMeter meter, TimeProvider time, ILogger<UserGrain> logger)
    : Grain, IUserGrain
{
    private readonly UserStore _store = new(dataSource);
    private string _tenantId = "";
    private Guid _id;
    private bool _loaded;
    private UserRow? _row;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('#');
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out _id))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a user key (tenant#id).");
        }

        _tenantId = parts[0];
        return Task.CompletedTask;
    }

    async Task<UserCreateResult> IUserGrain.CreateAsync(CallerContext caller, UserWrite write, bool upsert)
    {
        CheckCaller(caller);
        if (_row is not null)
        {
            throw new ConflictException("CONFLICT", "A user with this id already exists.");
        }

        var externalId = write.ExternalId ?? throw new ValidationException("externalId", "externalId is required.");
        if (write.Status == UserRules.Pending)
        {
            throw new ValidationException("status", "status PENDING is set by invitations; a user is created ACTIVE or SUSPENDED.");
        }

        CheckRoleGrant(caller, write.Role, UserRules.Member);
        var bound = write.SchemaId is { } id ? await UserSchemas.ByIdAsync(GrainFactory, caller, id) : ((SchemaView, string)?)null;
        var prepared = await PrepareAsync(bound?.Item1, write.Payload ?? []);
        var now = Now();
        var row = new UserRow
        {
            Id = _id,
            ExternalId = externalId,
            Email = write.Email,
            Type = write.Type ?? "HUMAN",
            Status = write.Status ?? UserRules.Active,
            Role = write.Role ?? UserRules.Member,
            StoredPayload = prepared.StoredJson,
            SchemaId = bound?.Item1.Id,
            SchemaVersion = bound?.Item1.SchemaVersion,
            SchemaContextId = bound?.Item2,
            TypeName = bound?.Item1.TypeName,
            CreatedBy = caller.CredentialId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        var batch = new UserWriteBatch(_tenantId, _id);
        batch.Insert(row);
        batch.ReplaceLookups(row.TypeName, prepared.Lookups, hadLookups: false);
        batch.AppendVersion(Entry(caller, "CREATE", null, null, VersionDiff.Compute(null, UserViews.DiffShape(row, prepared.Stripped)), "User created", now));
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (Exception ex) when (ex is ExternalIdTakenException || (ex is ConflictException { ErrorCode: "UNIQUE_VIOLATION" or "EMAIL_IN_USE" }))
        {
            // Idempotent create: the user holding this externalId answers, unchanged or upserted. A repeated create
            // can trip over its own email or unique lookup values first; when the externalId is taken, it is this case too.
            var existing = await _store.FindByExternalIdAsync(_tenantId, externalId);
            if (existing is null)
            {
                throw ex is ConflictException ? ex : new ConflictException("CONFLICT", "The user holding this externalId changed concurrently; retry.");
            }

            return await GrainFactory.GetGrain<IUserGrain>(UserRules.Key(_tenantId, existing.Value)).MatchExternalIdAsync(caller, write, upsert);
        }
        catch (VersionRaceException)
        {
            _loaded = false;
            throw new ConflictException("CONFLICT", "A user with this id already exists.");
        }

        Apply(row);
        // Identity writes are counted (and charged) but never refused: a full allowance must not lock users out.
        await meter.CountAsync(_tenantId, caller.ContextId, WriteCharges.UserWrite);
        return new UserCreateResult(await ViewForAsync(caller, bound?.Item1), Created: true);
    }

    async Task<UserCreateResult> IUserGrain.MatchExternalIdAsync(CallerContext caller, UserWrite write, bool upsert)
    {
        var row = await LoadAsync(caller) ?? throw NotFound();
        if (!string.Equals(row.ExternalId, write.ExternalId, StringComparison.Ordinal))
        {
            throw new ConflictException("CONFLICT", "The user holding this externalId changed concurrently; retry the request.");
        }

        // Being handed the existing user is a read of it (API-DELTA §1, CL 0.36): without users:r, or when the user is
        // outside a confined caller's context (§8.8), the collision is the same plain 400, so it reveals nothing.
        if (!caller.Can("users:r") || !await VisibleAsync(caller))
        {
            throw new ValidationException("externalId", "externalId is already in use.");
        }

        if (!upsert)
        {
            return new UserCreateResult(await ViewForAsync(caller, await UserSchemas.OfAsync(GrainFactory, _tenantId, row)), Created: false);
        }

        // Upsert overwrites the mutable fields; externalId and type never change (spec L4653).
        return new UserCreateResult(await WriteUpdateAsync(caller, write with { Type = null }, "User upserted"), Created: false);
    }

    async Task<UserView> IUserGrain.GetAsync(CallerContext caller)
    {
        var row = await RequireAsync(caller);
        return await ViewForAsync(caller, await UserSchemas.OfAsync(GrainFactory, _tenantId, row));
    }

    async Task<UserView> IUserGrain.UpdateAsync(CallerContext caller, UserWrite write)
    {
        var row = await RequireAsync(caller);
        if (write.ExternalId is not null && !string.Equals(write.ExternalId, row.ExternalId, StringComparison.Ordinal))
        {
            throw new ValidationException("externalId", "externalId is immutable after create.");
        }

        return await WriteUpdateAsync(caller, write, "User updated");
    }

    async Task IUserGrain.DeleteAsync(CallerContext caller)
    {
        var row = await RequireAsync(caller);
        var stripped = UserViews.Stripped(row, SensitiveFields.Of(await UserSchemas.OfAsync(GrainFactory, _tenantId, row)));
        var batch = new UserWriteBatch(_tenantId, _id);
        if (row.Role == UserRules.Owner)
        {
            batch.RequireAnotherOwner();
        }

        if (!caller.IsRoot)
        {
            // §8.8: a confined caller may not delete a user who also has access in another context (checked in the batch).
            batch.RequireNoAccessOutside(caller.ContextId);
        }

        var contexts = await _store.ProfileContextsAsync(_tenantId, _id);
        var now = Now();
        batch.Delete(row.Version);
        batch.AppendVersion(Entry(caller, "DELETE", row.Version, UserViews.Snapshot(row, stripped),
            VersionDiff.Compute(UserViews.DiffShape(row, stripped), null), "User deleted", now));
        await AppendProfileDeletesAsync(batch, caller, contexts, now);
        await ExecuteAsync(batch);
        _row = null;

        // The batch removed the user's profiles; their grains may still hold them. (A profile created by a call racing this
        // delete, after the read above, loses its row too but stays cached in its grain until that deactivates; the
        // user's keys are revoked either way.)
        var principalId = PrincipalIds.ForUser(_id.ToString());
        await Task.WhenAll(contexts.Select(c => GrainFactory.GetGrain<IAccessProfileGrain>(AccessKeys.Of(_tenantId, c, principalId)).InvalidateAsync()));
    }

    /// <summary>Each profile the delete removes gets its own DELETE row in the profile's history, as a profile delete would.</summary>
    private async Task AppendProfileDeletesAsync(UserWriteBatch batch, CallerContext caller, IReadOnlyList<string> contexts, DateTimeOffset at)
    {
        var principalId = PrincipalIds.ForUser(_id.ToString());
        var profiles = new Access.AccessStore(dataSource);
        foreach (var contextId in contexts)
        {
            if (await profiles.LoadProfileAsync(_tenantId, contextId, principalId) is { } profile)
            {
                batch.AppendVersion(new VersionEntry(_tenantId, contextId, Access.AccessClauses.ProfileKind, principalId, "DELETE", profile.Version,
                    Access.AccessProfileGrain.Snapshot(profile), VersionDiff.Compute(Access.AccessProfileGrain.Snapshot(profile), null),
                    "Access profile deleted with its user", caller.CredentialId, at));
            }
        }
    }

    async Task<VersionPage> IUserGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckCaller(caller);
        var id = _id.ToString();
        if (!await VisibleAsync(caller) || !await VersionHistory.ExistsAsync(dataSource, _tenantId, UserRules.TenantHome, UserRules.HistoryKind, id))
        {
            throw NotFound();
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, UserRules.TenantHome, UserRules.HistoryKind, id, startFrom, limit);
    }

    /// <summary>
    /// The shared update path (PUT, upsert): given fields replace, omitted ones stay. A PENDING user changes only
    /// by activation (status=ACTIVE with its invite token); its email is fixed while the invite is outstanding
    /// (CL 0.38). A write that changes nothing is a no-op: no version bump, no history row.
    /// </summary>
    private async Task<UserView> WriteUpdateAsync(CallerContext caller, UserWrite write, string reason)
    {
        var before = _row!;
        if (write.Type is not null && write.Type != before.Type)
        {
            throw new ValidationException("type", "type is immutable after create; create a new user to change it.");
        }

        var activation = before.Status == UserRules.Pending && write.Status == UserRules.Active;
        var grant = activation ? CheckActivation(write) : null;
        CheckStatusChange(before, write);
        CheckRoleGrant(caller, write.Role, before.Role);

        var currentSchema = await UserSchemas.OfAsync(GrainFactory, _tenantId, before);
        var rebind = write.SchemaId is { } newId && newId != before.SchemaId;
        var (schema, schemaContext) = rebind
            ? await UserSchemas.ByIdAsync(GrainFactory, caller, write.SchemaId!.Value)
            : (currentSchema, before.SchemaContextId);
        if (!rebind && before.TypeName is not null && schema is null && write.Payload is not null)
        {
            throw new ValidationException("schemaId", "The user's schema no longer exists; bind the user to another schemaId to change its payload.");
        }

        var sensitive = SensitiveFields.Of(currentSchema);
        var beforePlain = UserViews.Plaintext(before, sensitive, sensitive.Any ? await keyring.GetAsync(_tenantId) : null, _tenantId);
        var plaintext = write.Payload ?? (rebind ? beforePlain : null);
        var payloadChanged = rebind || (plaintext is not null && !JsonNode.DeepEquals(plaintext, beforePlain));
        var email = write.Email ?? before.Email;
        var status = write.Status ?? before.Status;
        var role = write.Role ?? before.Role;
        var subject = activation ? write.ExternalSubject : before.ExternalSubject;
        if (!payloadChanged && email == before.Email && status == before.Status && role == before.Role && subject == before.ExternalSubject)
        {
            return await ViewForAsync(caller, currentSchema);
        }

        var prepared = payloadChanged ? await PrepareAsync(schema, plaintext!) : null;
        var now = Now();
        var after = before with
        {
            Email = email,
            Status = status,
            Role = role,
            ExternalSubject = subject,
            StoredPayload = prepared?.StoredJson ?? before.StoredPayload,
            SchemaId = payloadChanged ? schema?.Id : before.SchemaId,
            SchemaVersion = payloadChanged ? schema?.SchemaVersion : before.SchemaVersion,
            SchemaContextId = payloadChanged && schema is not null ? schemaContext : before.SchemaContextId,
            TypeName = payloadChanged ? schema?.TypeName : before.TypeName,
            UpdatedAt = now,
            Version = before.Version + 1,
        };

        var batch = new UserWriteBatch(_tenantId, _id);
        if (before.Role == UserRules.Owner && role != UserRules.Owner)
        {
            batch.RequireAnotherOwner();
        }

        var invite = grant is null ? null : await _store.InviteAsync(_tenantId, _id);
        if (grant is not null)
        {
            batch.ConsumeInvite(InviteTokens.Hash(write.InviteToken!), now);
        }

        batch.Update(after, before.Version);
        if (prepared is not null)
        {
            batch.ReplaceLookups(after.TypeName, prepared.Lookups, hadLookups: before.TypeName is not null);
        }

        var strippedBefore = UserViews.Stripped(before, sensitive);
        var strippedAfter = prepared?.Stripped ?? strippedBefore;
        batch.AppendVersion(Entry(caller, "UPDATE", before.Version, UserViews.Snapshot(before, strippedBefore),
            VersionDiff.Compute(UserViews.DiffShape(before, strippedBefore), UserViews.DiffShape(after, strippedAfter)),
            grant is not null ? "Invitation accepted" : reason, now));
        await ExecuteAsync(batch);
        Apply(after);
        await meter.CountAsync(_tenantId, caller.ContextId, WriteCharges.UserWrite);
        if (invite is { } accepted)
        {
            await GrantInvitedAccessAsync(caller, accepted.ContextId, accepted.AccessProfileJson);
        }

        return await ViewForAsync(caller, schema);
    }

    /// <summary>
    /// An accepted invitation becomes the user's access profile in its context (API-DELTA §8.8), with the role or inline
    /// scopes the inviter's authority was checked against when the invite was issued. Written by the profile grain (its
    /// own batch and version row) once the activation has committed; an existing profile is kept. The user is active
    /// either way: a grant that no longer applies (its role deleted since) is logged for the operator, not a failed accept.
    /// </summary>
    private async Task GrantInvitedAccessAsync(CallerContext caller, string contextId, string accessProfileJson)
    {
        if (InviteAccess.ToProfile(accessProfileJson) is not { } profile)
        {
            return;
        }

        var system = new AccessActor(new CallerContext(_tenantId, contextId, caller.CredentialId, IsRoot: true, ["*"]), null, [], new Dictionary<string, string>());
        try
        {
            await GrainFactory.GetGrain<IAccessProfileGrain>(AccessKeys.Of(_tenantId, contextId, PrincipalIds.ForUser(_id.ToString())))
                .CreateAsync(system, profile, upsert: false);
        }
        catch (Exception ex) when (ex is ValidationException or NotFoundException or ConflictException)
        {
            LogGrantFailed(logger, contextId, ex.Message);
        }
    }

    /// <summary>Activation (spec L4750): inviteToken, externalSubject and emailVerifiedAttestation=true, with a token this server signed for this user.</summary>
    private InviteGrant CheckActivation(UserWrite write)
    {
        if (string.IsNullOrEmpty(write.InviteToken))
        {
            throw new ValidationException("inviteToken", "inviteToken is required to activate an invited (PENDING) user.");
        }

        if (string.IsNullOrEmpty(write.ExternalSubject))
        {
            throw new ValidationException("externalSubject", "externalSubject is required to activate an invited (PENDING) user.");
        }

        if (write.EmailVerifiedAttestation != true)
        {
            throw new ValidationException("emailVerifiedAttestation", "emailVerifiedAttestation must be true to activate an invited (PENDING) user.");
        }

        var grant = tokens.Verify(write.InviteToken);
        if (grant is null || grant.TenantId != _tenantId || grant.UserId != _id)
        {
            throw new ValidationException("inviteToken", "inviteToken is not a valid invitation token for this user.");
        }

        if (time.GetUtcNow().ToUnixTimeMilliseconds() >= grant.ExpiresAt)
        {
            throw new ValidationException("inviteToken", "inviteToken has expired; resend the invitation.");
        }

        return grant;
    }

    private static void CheckStatusChange(UserRow before, UserWrite write)
    {
        if (before.Status == UserRules.Pending)
        {
            if (write.Status is not (null or UserRules.Pending or UserRules.Active))
            {
                throw new ValidationException("status", "An invited (PENDING) user can only be activated (status ACTIVE with its inviteToken).");
            }

            // CL 0.38: the invitation was sent to this address; changing it while the invite is outstanding is refused.
            if (write.Email is not null && !string.Equals(UserRules.EmailKey(write.Email), UserRules.EmailKey(before.Email ?? ""), StringComparison.Ordinal))
            {
                throw new ValidationException("email", "email cannot change while the user's invitation is outstanding.");
            }
        }
        else if (write.Status == UserRules.Pending)
        {
            throw new ValidationException("status", "PENDING is set by invitations; status may be set to ACTIVE or SUSPENDED.");
        }
    }

    /// <summary>Only a root key names OWNERs (granting or removing the account role); a scoped caller may repeat the current role.</summary>
    private static void CheckRoleGrant(CallerContext caller, string? requested, string current)
    {
        if (requested is not null && requested != current && !caller.IsRoot)
        {
            throw new ForbiddenException("Only a root key may change a user's account role.");
        }
    }

    /// <summary>Validates a plaintext payload and turns it into what is stored and indexed (sensitive values encrypted).</summary>
    private Task<PreparedPayload> PrepareAsync(SchemaView? schema, JsonObject plaintext) =>
        PayloadPreparation.PrepareAsync(schema, plaintext, keyring, (_tenantId, "", "user", _id));

    private async Task ExecuteAsync(UserWriteBatch batch)
    {
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (VersionRaceException)
        {
            _loaded = false;
            _row = null;
            throw new ConflictException("VERSION_CONFLICT", "The user was changed concurrently; re-read it and retry.");
        }
        catch (ExternalIdTakenException)
        {
            throw new ConflictException("CONFLICT", "The user was changed concurrently; retry the request.");
        }
    }

    /// <summary>Revealed for a caller holding <c>users:s</c>, else masked.</summary>
    private async Task<UserView> ViewForAsync(CallerContext caller, SchemaView? schema)
    {
        var row = _row!;
        var sensitive = SensitiveFields.Of(schema);
        var revealed = sensitive.Any && caller.Can("users:s");
        var view = revealed
            ? UserViews.Revealed(row, sensitive, await keyring.GetAsync(_tenantId), _tenantId)
            : UserViews.Masked(row, sensitive);
        return view with { Disclosure = sensitive.Disclosure(view.Payload, revealed, schema) };
    }

    /// <summary>The user as a by-id route sees it: absent, or outside a confined caller's context (§8.8), is a 404.</summary>
    private async Task<UserRow> RequireAsync(CallerContext caller)
    {
        var row = await LoadAsync(caller);
        return row is not null && await VisibleAsync(caller) ? row : throw NotFound();
    }

    private async Task<UserRow?> LoadAsync(CallerContext caller)
    {
        CheckCaller(caller);
        if (!_loaded)
        {
            _row = await _store.LoadAsync(_tenantId, _id);
            _loaded = true;
        }

        return _row;
    }

    /// <summary>
    /// Root keys are not confined; any other caller reaches the user only through a profile in its context. Read on every
    /// call, not cached: profiles are written by another grain.
    /// </summary>
    private async Task<bool> VisibleAsync(CallerContext caller) =>
        caller.IsRoot || await _store.IsVisibleAsync(_tenantId, caller.ContextId, _id);

    private void Apply(UserRow row)
    {
        _row = row;
        _loaded = true;
    }

    private void CheckCaller(CallerContext caller)
    {
        // Defence in depth: the front end builds the key from the caller's tenant.
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    private VersionEntry Entry(CallerContext caller, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, UserRules.TenantHome, UserRules.HistoryKind, _id.ToString(), change, previousVersion, previous, diff, reason, caller.CredentialId, at);

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Warning, Message = "An accepted invitation's access profile could not be created in app context {ContextId}: {Reason}")]
    private static partial void LogGrantFailed(ILogger logger, string contextId, string reason);

    private static NotFoundException NotFound() => new("No user exists with this id.");
}
