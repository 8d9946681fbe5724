using System.Text.Json.Nodes;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.History;
using Vectros.Grains.Records;

namespace Vectros.Grains.Access;

/// <summary>
/// One access profile, keyed <c>tenant#ctx#principalId</c>: inline scopes XOR a role reference, a status and identity
/// overrides. Every write is one batch with its version row; a role reference is share-locked by that batch, so the
/// role cannot be deleted under it. The role is resolved when the profile is read for access
/// (<see cref="IAccessProfileGrain.GetEffectiveAsync"/>), so a role change applies to every profile that references it.
/// </summary>
public sealed class AccessProfileGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IAccessProfileGrain
{
    private readonly AccessStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private string _principalId = "";
    private bool _loaded;
    private AccessProfileView? _row;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _contextId, _principalId) = AccessKeys.Split(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    async Task<AccessProfileCreateResult> IAccessProfileGrain.CreateAsync(AccessActor actor, ProfileWrite write, bool upsert)
    {
        CheckCaller(actor.Caller);
        if ((write.Scopes is null) == (write.RoleId is null))
        {
            throw new ValidationException("scopes", "Provide exactly one of scopes or roleId.");
        }

        await AccessClauses.RequireActiveContextAsync(GrainFactory, _tenantId, _contextId);
        await EnsureLoadedAsync();
        if (_row is not null)
        {
            return await CollideAsync(actor, write, upsert);
        }

        var (scopes, roleId) = await GrantSourceAsync(actor, write);
        var overrides = write.IdentityOverrides ?? new Dictionary<string, string>();
        ProfileAuthority.CheckOverrides(actor, null, overrides);

        var now = Now();
        var row = new AccessProfileView(_tenantId, _contextId, _principalId, scopes, roleId, overrides,
            write.Status ?? AccessProfileView.Active, now, now, 1);
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        batch.RequireActiveContext();
        batch.RequireLivePrincipal(_principalId);
        Guards(batch, row, overridesChanged: overrides.Count > 0);
        batch.InsertProfile(row);
        batch.AppendVersion(Entry(actor, "CREATE", null, null, VersionDiff.Compute(null, Snapshot(row)), "Access profile created", now));
        try
        {
            await batch.ExecuteAsync(dataSource, PrincipalMessage(actor));
        }
        catch (AccessRowExistsException)
        {
            _loaded = false;
            await EnsureLoadedAsync();
            return await CollideAsync(actor, write, upsert);
        }

        _row = row;
        return new AccessProfileCreateResult(row, Created: true);
    }

    async Task<AccessProfileView> IAccessProfileGrain.GetAsync(CallerContext caller)
    {
        CheckCaller(caller);
        return await RequireAsync();
    }

    async Task<AccessProfileView> IAccessProfileGrain.UpdateAsync(AccessActor actor, ProfileWrite write)
    {
        CheckCaller(actor.Caller);
        if (write.Scopes is not null && write.RoleId is not null)
        {
            throw new ValidationException("scopes", "Provide scopes or roleId, not both: setting one clears the other.");
        }

        await RequireAsync();
        return await WriteUpdateAsync(actor, write, "Access profile updated");
    }

    async Task IAccessProfileGrain.DeleteAsync(AccessActor actor)
    {
        CheckCaller(actor.Caller);
        var row = await RequireAsync();

        // Deleting removes the profile's identity as completely as clearing it (CL 0.38).
        ProfileAuthority.CheckOverrides(actor, row.IdentityOverrides, null);
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        batch.DeleteProfile(_principalId, row.Version);
        batch.AppendVersion(Entry(actor, "DELETE", row.Version, Snapshot(row), VersionDiff.Compute(Snapshot(row), null), "Access profile deleted", Now()));
        await ExecuteAsync(batch, actor);
        _row = null;
    }

    async Task<VersionPage> IAccessProfileGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckCaller(caller);
        if (!await VersionHistory.ExistsAsync(dataSource, _tenantId, _contextId, AccessClauses.ProfileKind, _principalId))
        {
            throw NotFound();
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, AccessClauses.ProfileKind, _principalId, startFrom, limit);
    }

    Task IAccessProfileGrain.InvalidateAsync()
    {
        _loaded = false;
        _row = null;
        return Task.CompletedTask;
    }

    async Task<EffectiveAccess?> IAccessProfileGrain.GetEffectiveAsync()
    {
        await EnsureLoadedAsync();
        if (_row is not { } row)
        {
            return null;
        }

        var clauses = row.Scopes ?? await GrainFactory.GetGrain<IAccessRoleGrain>(AccessKeys.Of(_tenantId, _contextId, row.RoleId!)).GetClausesAsync() ?? [];
        return new EffectiveAccess(_contextId, _principalId, row.Status, clauses, row.IdentityOverrides, row.RoleId);
    }

    /// <summary>The existing profile goes back (or is upserted) only to a caller holding <c>profiles:r</c> (CL 0.36).</summary>
    private async Task<AccessProfileCreateResult> CollideAsync(AccessActor actor, ProfileWrite write, bool upsert)
    {
        if (!actor.Caller.Can("profiles:r"))
        {
            throw new ValidationException("principalId", "An access profile for this principalId already exists.");
        }

        return upsert
            ? new AccessProfileCreateResult(await WriteUpdateAsync(actor, write, "Access profile upserted"), Created: false)
            : new AccessProfileCreateResult(_row!, Created: false);
    }

    /// <summary>Partial: scopes replace the role and a role replaces the scopes; overrides null = unchanged; identical = no-op.</summary>
    private async Task<AccessProfileView> WriteUpdateAsync(AccessActor actor, ProfileWrite write, string reason)
    {
        var before = _row!;
        var (scopes, roleId) = write.Scopes is null && write.RoleId is null ? (before.Scopes, before.RoleId) : await GrantSourceAsync(actor, write);
        var overrides = write.IdentityOverrides ?? before.IdentityOverrides;
        ProfileAuthority.CheckOverrides(actor, before.IdentityOverrides, overrides);

        var after = before with { Scopes = scopes, RoleId = roleId, IdentityOverrides = overrides, Status = write.Status ?? before.Status };
        var beforeShape = Snapshot(before);
        if (JsonNode.DeepEquals(beforeShape, Snapshot(after)))
        {
            return before;
        }

        var now = Now();
        after = after with { LastModified = now, Version = before.Version + 1 };
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        var overridesChanged = !overrides.OrderBy(kv => kv.Key).SequenceEqual(before.IdentityOverrides.OrderBy(kv => kv.Key));
        Guards(batch, after, overridesChanged);
        batch.UpdateProfile(after, before.Version);
        batch.AppendVersion(Entry(actor, "UPDATE", before.Version, beforeShape, VersionDiff.Compute(beforeShape, Snapshot(after)), reason, now));
        await ExecuteAsync(batch, actor);
        _row = after;
        return after;
    }

    /// <summary>
    /// The grant source of a write: validated inline clauses, or a role of this context that must exist (400). Either
    /// way a scoped caller's own clauses cap what it grants (403).
    /// </summary>
    private async Task<(IReadOnlyList<ScopeClause>? Scopes, string? RoleId)> GrantSourceAsync(AccessActor actor, ProfileWrite write)
    {
        if (write.Scopes is not null)
        {
            var scopes = await AccessClauses.ValidateAsync(GrainFactory, _tenantId, _contextId, write.Scopes, "scopes");
            ProfileAuthority.CheckCap(actor, scopes, _principalId, "scopes");
            return (scopes, null);
        }

        var roleId = write.RoleId!;
        var clauses = await GrainFactory.GetGrain<IAccessRoleGrain>(AccessKeys.Of(_tenantId, _contextId, roleId)).GetClausesAsync()
            ?? throw new ValidationException("roleId", "roleId does not name a role in this app context.");
        ProfileAuthority.CheckCap(actor, clauses, _principalId, "roleId");
        return (null, roleId);
    }

    private static void Guards(AccessWriteBatch batch, AccessProfileView row, bool overridesChanged)
    {
        if (row.RoleId is not null)
        {
            batch.RequireRole(row.RoleId);
        }

        if (overridesChanged && row.IdentityOverrides.Count > 0)
        {
            batch.RequireOverrideTargets(row.IdentityOverrides);
        }
    }

    private async Task ExecuteAsync(AccessWriteBatch batch, AccessActor actor)
    {
        try
        {
            await batch.ExecuteAsync(dataSource, PrincipalMessage(actor));
        }
        catch (AccessVersionRaceException)
        {
            _loaded = false;
            _row = null;
            throw new ConflictException("VERSION_CONFLICT", "The access profile was changed concurrently; re-read it and retry.");
        }
    }

    /// <summary>Without <c>users:r</c> an unknown user reads like any invalid principal (CL 0.38): existence is not disclosed.</summary>
    private static string PrincipalMessage(AccessActor actor) => actor.Caller.Can("users:r")
        ? "principalId names no existing user: a usr_ principal must be a live user."
        : "principalId is not a valid principal for a profile.";

    private async Task<AccessProfileView> RequireAsync()
    {
        await EnsureLoadedAsync();
        return _row ?? throw NotFound();
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            _row = await _store.LoadProfileAsync(_tenantId, _contextId, _principalId);
            _loaded = true;
        }
    }

    private void CheckCaller(CallerContext caller)
    {
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    /// <summary>A profile as its history records it (also used when a user's delete removes its profiles).</summary>
    internal static JsonObject Snapshot(AccessProfileView p)
    {
        var overrides = new JsonObject();
        foreach (var (key, value) in p.IdentityOverrides.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            overrides[key] = value;
        }

        return new JsonObject
        {
            ["principalId"] = p.PrincipalId,
            ["scopes"] = p.Scopes is null ? null : ScopeClauseJson.Write(p.Scopes),
            ["roleId"] = p.RoleId,
            ["identityOverrides"] = overrides,
            ["status"] = p.Status,
        };
    }

    private VersionEntry Entry(AccessActor actor, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, _contextId, AccessClauses.ProfileKind, _principalId, change, previousVersion, previous, diff, reason, actor.Caller.CredentialId, at);

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    private static NotFoundException NotFound() => new("No access profile exists with this principalId in the given context.");
}
