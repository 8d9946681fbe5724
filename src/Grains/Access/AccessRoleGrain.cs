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
/// One role, keyed <c>tenant#ctx#roleId</c>. The row is cached in the activation and every write is one batch with
/// its version row, guarded by the version this activation last saw. Profiles that reference the role read its
/// clauses at resolution time, so an update applies to all of them at once.
/// </summary>
public sealed class AccessRoleGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IAccessRoleGrain
{
    private readonly AccessStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private string _roleId = "";
    private bool _loaded;
    private AccessRoleView? _row;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _contextId, _roleId) = AccessKeys.Split(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    async Task<AccessRoleCreateResult> IAccessRoleGrain.CreateAsync(AccessActor actor, RoleWrite write, bool upsert)
    {
        CheckCaller(actor.Caller);
        await AccessClauses.RequireActiveContextAsync(GrainFactory, _tenantId, _contextId);
        await EnsureLoadedAsync();
        if (_row is not null)
        {
            return await CollideAsync(actor, write, upsert);
        }

        var name = write.Name ?? throw new ValidationException("name", "name is required.");
        var scopes = await AccessClauses.ValidateAsync(GrainFactory, _tenantId, _contextId,
            write.Scopes ?? throw new ValidationException("scopes", "scopes is required."), "scopes");
        ProfileAuthority.CheckCap(actor, scopes, null, "scopes");

        var now = Now();
        var row = new AccessRoleView(_tenantId, _contextId, _roleId, name, write.Description, scopes, now, now, 1);
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        batch.RequireActiveContext();
        batch.InsertRole(row);
        batch.AppendVersion(Entry(actor, "CREATE", null, null, VersionDiff.Compute(null, Snapshot(row)), "Role created", now));
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (AccessRowExistsException)
        {
            _loaded = false;
            await EnsureLoadedAsync();
            return await CollideAsync(actor, write, upsert);
        }

        _row = row;
        return new AccessRoleCreateResult(row, Created: true);
    }

    async Task<AccessRoleView> IAccessRoleGrain.GetAsync(CallerContext caller)
    {
        CheckCaller(caller);
        return await RequireAsync();
    }

    async Task<AccessRoleView> IAccessRoleGrain.UpdateAsync(AccessActor actor, RoleWrite write)
    {
        CheckCaller(actor.Caller);
        await RequireAsync();
        return await WriteUpdateAsync(actor, write, "Role updated");
    }

    async Task IAccessRoleGrain.DeleteAsync(AccessActor actor)
    {
        CheckCaller(actor.Caller);
        var row = await RequireAsync();
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        batch.DeleteRole(_roleId, row.Version);
        batch.AppendVersion(Entry(actor, "DELETE", row.Version, Snapshot(row), VersionDiff.Compute(Snapshot(row), null), "Role deleted", Now()));
        await ExecuteAsync(batch);
        _row = null;
    }

    async Task<VersionPage> IAccessRoleGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckCaller(caller);
        if (!await VersionHistory.ExistsAsync(dataSource, _tenantId, _contextId, AccessClauses.RoleKind, _roleId))
        {
            throw NotFound();
        }

        return await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, AccessClauses.RoleKind, _roleId, startFrom, limit);
    }

    async Task<IReadOnlyList<ScopeClause>?> IAccessRoleGrain.GetClausesAsync()
    {
        await EnsureLoadedAsync();
        return _row?.Scopes;
    }

    /// <summary>
    /// The idempotent-create collision: the existing role is returned (or upserted) only to a caller that may read it
    /// (<c>profiles:r</c>, CL 0.36); anyone else gets the uniform 400, never the existing scopes.
    /// </summary>
    private async Task<AccessRoleCreateResult> CollideAsync(AccessActor actor, RoleWrite write, bool upsert)
    {
        if (!actor.Caller.Can("profiles:r"))
        {
            throw new ValidationException("roleId", "A role with this roleId already exists.");
        }

        return upsert
            ? new AccessRoleCreateResult(await WriteUpdateAsync(actor, write, "Role upserted"), Created: false)
            : new AccessRoleCreateResult(_row!, Created: false);
    }

    /// <summary>Given fields replace, omitted ones stay; an identical write is a no-op (no version, no history row).</summary>
    private async Task<AccessRoleView> WriteUpdateAsync(AccessActor actor, RoleWrite write, string reason)
    {
        var before = _row!;
        var scopes = write.Scopes is null ? before.Scopes : await AccessClauses.ValidateAsync(GrainFactory, _tenantId, _contextId, write.Scopes, "scopes");
        if (write.Scopes is not null)
        {
            ProfileAuthority.CheckCap(actor, scopes, null, "scopes");
        }

        var after = before with { Name = write.Name ?? before.Name, Description = write.Description ?? before.Description, Scopes = scopes };
        var beforeShape = Snapshot(before);
        if (JsonNode.DeepEquals(beforeShape, Snapshot(after)))
        {
            return before;
        }

        var now = Now();
        after = after with { LastModified = now, Version = before.Version + 1 };
        var batch = new AccessWriteBatch(_tenantId, _contextId);
        batch.UpdateRole(after, before.Version);
        batch.AppendVersion(Entry(actor, "UPDATE", before.Version, beforeShape, VersionDiff.Compute(beforeShape, Snapshot(after)), reason, now));
        await ExecuteAsync(batch);
        _row = after;
        return after;
    }

    private async Task ExecuteAsync(AccessWriteBatch batch)
    {
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (AccessVersionRaceException)
        {
            _loaded = false;
            _row = null;
            throw new ConflictException("VERSION_CONFLICT", "The role was changed concurrently; re-read it and retry.");
        }
    }

    private async Task<AccessRoleView> RequireAsync()
    {
        await EnsureLoadedAsync();
        return _row ?? throw NotFound();
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            _row = await _store.LoadRoleAsync(_tenantId, _contextId, _roleId);
            _loaded = true;
        }
    }

    private void CheckCaller(CallerContext caller)
    {
        // Defence in depth: the front end builds the key from the caller's tenant.
        if (!string.Equals(caller.TenantId, _tenantId, StringComparison.Ordinal))
        {
            throw NotFound();
        }
    }

    /// <summary>The diffable shape of a role: what its history rows hold (no secrets live on a role).</summary>
    private static JsonObject Snapshot(AccessRoleView role) => new()
    {
        ["roleId"] = role.RoleId,
        ["name"] = role.Name,
        ["description"] = role.Description,
        ["scopes"] = ScopeClauseJson.Write(role.Scopes),
    };

    private VersionEntry Entry(AccessActor actor, string change, long? previousVersion, JsonObject? previous, JsonObject diff, string reason, DateTimeOffset at) =>
        new(_tenantId, _contextId, AccessClauses.RoleKind, _roleId, change, previousVersion, previous, diff, reason, actor.Caller.CredentialId, at);

    private DateTimeOffset Now() => RecordViews.Truncate(time.GetUtcNow());

    private static NotFoundException NotFound() => new("No role exists with this roleId in the given context.");
}
