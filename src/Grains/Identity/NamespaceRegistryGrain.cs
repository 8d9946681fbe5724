using System.Buffers.Text;
using System.Text;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Records;

namespace Vectros.Grains.Identity;

/// <summary>
/// A tenant's namespace registrations, keyed by tenant id. Stateless: every call reads or writes PostgreSQL,
/// where the primary key (tenant, home, name) and the unique rank decide between concurrent writers, so nothing
/// cached here can go stale when a context is torn down or another silo writes.
/// </summary>
[StatelessWorker]
public sealed class NamespaceRegistryGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, INamespaceRegistryGrain
{
    private readonly NamespaceStore _store = new(dataSource);

    async Task<NamespaceView> INamespaceRegistryGrain.RegisterAsync(CallerContext caller, string ns, string? contextId, NamespaceDefinition definition)
    {
        var tenantId = Tenant(caller);
        CheckName(ns);
        var home = await HomeAsync(caller, contextId);
        if (definition.SpecificityRank is null)
        {
            throw new ValidationException("specificityRank",
                "specificityRank is required: an integer between 0 and 1000000, unique in the tenant (by convention org=1000, client=2000).");
        }

        var now = RecordViews.Truncate(time.GetUtcNow());
        var blank = new NamespaceView
        {
            Namespace = ns,
            ContextId = home == NamespaceRules.TenantHome ? null : home,
            SpecificityRank = definition.SpecificityRank.Value,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var view = NamespaceValidator.Apply(blank, definition);
        await CheckMembershipContextAsync(tenantId, view);
        var (outcome, written) = await _store.InsertAsync(tenantId, view);
        return outcome switch
        {
            NamespaceWriteOutcome.Written => written!,
            NamespaceWriteOutcome.NameTaken => throw new ConflictException("NAMESPACE_EXISTS",
                $"Namespace '{ns}' is already registered {(view.ContextId is null ? "tenant-wide" : "in this context")}; change it with PUT /v1/namespaces/{ns}."),
            _ => throw RankTaken(view.SpecificityRank),
        };
    }

    async Task<NamespaceView> INamespaceRegistryGrain.GetAsync(CallerContext caller, string ns, string? contextId)
    {
        var tenantId = Tenant(caller);
        CheckName(ns);
        var home = await HomeAsync(caller, contextId);
        return await _store.FindAsync(tenantId, ns, Homes(home)) ?? throw NotFound(ns);
    }

    async Task<NamespacePage> INamespaceRegistryGrain.ListAsync(CallerContext caller, string? contextId, string? startFrom, int limit)
    {
        var tenantId = Tenant(caller);
        var home = await HomeAsync(caller, contextId);
        var rows = await _store.ListAsync(tenantId, home, startFrom is null ? null : DecodeCursor(startFrom), limit + 1);
        var page = rows.Take(limit).ToList();
        return new NamespacePage(page, rows.Count > limit ? EncodeCursor(page[^1].Namespace) : null);
    }

    async Task<NamespaceView> INamespaceRegistryGrain.UpdateAsync(CallerContext caller, string ns, string? contextId, NamespaceDefinition definition)
    {
        var tenantId = Tenant(caller);
        CheckName(ns);
        var home = await HomeAsync(caller, contextId);
        var (outcome, written) = await _store.UpdateAsync(tenantId, home, ns, async current =>
        {
            var next = NamespaceValidator.Apply(current, definition);
            await CheckMembershipContextAsync(tenantId, next);
            return next;
        }, RecordViews.Truncate(time.GetUtcNow()));
        return outcome switch
        {
            NamespaceWriteOutcome.Written => written!,
            NamespaceWriteOutcome.Missing => throw NotFound(ns),
            NamespaceWriteOutcome.InUse => throw new ConflictException("RESOURCE_IN_USE",
                $"Namespace '{ns}' still has entities, so it must stay entity-backed; delete its entities first."),
            _ => throw RankTaken(definition.SpecificityRank ?? 0),
        };
    }

    async Task INamespaceRegistryGrain.DeleteAsync(CallerContext caller, string ns, string? contextId)
    {
        var tenantId = Tenant(caller);
        CheckName(ns);
        var home = await HomeAsync(caller, contextId);
        switch (await _store.DeleteAsync(tenantId, home, ns))
        {
            case NamespaceWriteOutcome.Missing:
                throw NotFound(ns);
            case NamespaceWriteOutcome.InUse:
                throw new ConflictException("RESOURCE_IN_USE", $"Namespace '{ns}' still has entities; delete them first.");
        }
    }

    async Task<EntityNamespace> INamespaceRegistryGrain.ResolveForEntitiesAsync(CallerContext caller, string ns, string? contextId)
    {
        var tenantId = Tenant(caller);
        CheckName(ns);
        var registration = contextId is not null
            ? await ResolveNamedAsync(caller, tenantId, ns, contextId)
            : await ResolveOmittedAsync(caller, tenantId, ns);
        if (!registration.EntityBacked)
        {
            throw new ValidationException("namespace",
                $"Namespace '{ns}' is not entity-backed, so it holds no entities (its values are free-form); set entityBacked with PUT /v1/namespaces/{ns}.");
        }

        return new EntityNamespace(registration);
    }

    private async Task<NamespaceView> ResolveNamedAsync(CallerContext caller, string tenantId, string ns, string contextId)
    {
        var home = await HomeAsync(caller, contextId);
        var registration = await _store.FindAsync(tenantId, ns, Homes(home)) ?? throw NotRegistered(ns);
        return registration.ContextId is not null
            ? registration
            : throw new ValidationException("contextId",
                $"Namespace '{ns}' is tenant-wide: its entities are shared by every context, so contextId must be omitted.");
    }

    private async Task<NamespaceView> ResolveOmittedAsync(CallerContext caller, string tenantId, string ns)
    {
        if (await _store.FindAsync(tenantId, ns, NamespaceRules.TenantHome) is { } tenantWide)
        {
            return tenantWide;
        }

        // A context-confined caller that omits contextId works in its own context (CL 0.40); a root key must name one.
        var own = await _store.FindAsync(tenantId, ns, caller.ContextId);
        if (own is not null && !caller.IsRoot)
        {
            return own;
        }

        if (own is not null || await _store.IsOwnedByAnyContextAsync(tenantId, ns))
        {
            throw new ValidationException("contextId",
                $"contextId is required: namespace '{ns}' is owned by an app context, and its entities live in that context.");
        }

        throw NotRegistered(ns);
    }

    /// <summary>
    /// The home a <c>?contextId=</c> selects: the tenant home when omitted, else an existing, active context
    /// (404 otherwise). A confined caller may only name its own context, refused before anything is looked up.
    /// </summary>
    private async Task<string> HomeAsync(CallerContext caller, string? contextId)
    {
        if (contextId is null)
        {
            return NamespaceRules.TenantHome;
        }

        if (!AppContextKeys.IsValidContextId(contextId))
        {
            throw new ValidationException("contextId",
                "contextId must be 3-31 characters, start with a lowercase letter and contain only lowercase letters, digits and hyphens.");
        }

        if (!caller.IsRoot && !string.Equals(contextId, caller.ContextId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("This credential may only name its own app context in contextId.");
        }

        var context = await GrainFactory.GetGrain<IAppContextGrain>(AppContextKeys.Composite(caller.TenantId, contextId)).GetAsync();
        return context is { Status: AppContextStatus.Active }
            ? contextId
            : throw new NotFoundException("No app context exists with this contextId.");
    }

    private async Task CheckMembershipContextAsync(string tenantId, NamespaceView view)
    {
        if (view.ContextId is null && view.MembershipContextId is { } membership
            && await GrainFactory.GetGrain<IAppContextGrain>(AppContextKeys.Composite(tenantId, membership)).GetAsync() is not { Status: AppContextStatus.Active })
        {
            throw new ValidationException("membershipContextId", "membershipContextId does not name an app context of this tenant.");
        }
    }

    /// <summary>A context's own registration first, then the tenant-wide one.</summary>
    private static string[] Homes(string home) =>
        home == NamespaceRules.TenantHome ? [NamespaceRules.TenantHome] : [home, NamespaceRules.TenantHome];

    private string Tenant(CallerContext caller)
    {
        // The front end keys this grain by the caller's tenant; anything else is a programming error, never a leak.
        return string.Equals(caller.TenantId, this.GetPrimaryKeyString(), StringComparison.Ordinal)
            ? caller.TenantId
            : throw new InvalidOperationException("The namespace registry is keyed by the caller's tenant.");
    }

    private static void CheckName(string ns)
    {
        if (!OwnershipScopes.IsValidNamespace(ns))
        {
            throw new ValidationException("namespace",
                OwnershipScopes.ReservedNamespaces.Contains(ns)
                    ? $"'{ns}' is a reserved name and cannot be a namespace."
                    : "A namespace is 2-32 characters, a lowercase letter first, then lowercase letters, digits, '_' or '-'.");
        }
    }

    private static NotFoundException NotFound(string ns) => new($"Namespace '{ns}' is not registered here.");

    private static ValidationException NotRegistered(string ns) => new(
        "namespace",
        ns is OwnershipScopes.Org or OwnershipScopes.Client
            ? $"Namespace '{ns}' is not registered in this tenant (it was deleted); register it again with POST /v1/namespaces " +
              $"{{\"namespace\":\"{ns}\",\"entityBacked\":true,\"specificityRank\":{(ns == OwnershipScopes.Org ? 1000 : 2000)}}}."
            : $"Namespace '{ns}' is not registered in this tenant; register it with POST /v1/namespaces (entityBacked: true) first.");

    private static ValidationException RankTaken(int rank) =>
        new("specificityRank", $"specificityRank {rank} is already used by another namespace of this tenant; ranks are unique per tenant.");

    private static string EncodeCursor(string name) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(name));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var name = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (OwnershipScopes.IsValidNamespace(name))
            {
                return name;
            }
        }
        catch (FormatException)
        {
        }

        throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
    }
}
