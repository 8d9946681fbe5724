using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;

namespace Vectros.Grains.Folders;

/// <summary>
/// The folders of one context (<c>tenant#context</c>). Creation is idempotent by slug + parent: the
/// <c>UNIQUE NULLS NOT DISTINCT (tenant, context, parent, slug)</c> constraint decides between concurrent
/// creators (here or in another activation), and the loser returns the winner's folder. No state is kept, so
/// nothing here can go stale when a context is torn down and recreated.
/// </summary>
[StatelessWorker]
public sealed class FolderDirectoryGrain(NpgsqlDataSource dataSource) : Grain, IFolderDirectoryGrain
{
    private const string RootReason = "Context root folder, created on first use";

    private readonly FolderStore _store = new(dataSource);

    async Task<FolderView> IFolderDirectoryGrain.EnsureRootAsync(CallerContext caller) => await EnsureRootAsync(caller);

    async Task<FolderCreateResult> IFolderDirectoryGrain.CreateAsync(CallerContext caller, CreateFolderCommand command)
    {
        Check(caller);
        var userId = caller.StampUser(command.UserId);
        var declared = command.Scopes is null && command.OrgId is null && command.ClientId is null ? null : command.Scopes ?? [];
        var scopes = OwnershipScopes.Resolve([], caller.StampScopes(declared), command.OrgId, command.ClientId);
        caller.DemandPlacement("folders:c", CallerPlacement.Ownership(userId, scopes));

        // Naming a parent needs read on it (API-DELTA §6 "Referencing a folder"): else the uniform 400 of a missing folder.
        if (command.ParentFolderId is { } named && await GrainFactory.GetGrain<IFolderGrain>(caller.KeyFor(named.ToString())).GetAsync(caller) is null)
        {
            throw new ValidationException("parentFolderId", "parentFolderId does not name a folder of this context.");
        }

        var parentId = command.ParentFolderId ?? (await EnsureRootAsync(caller)).Id;
        var existing = await _store.FindChildAsync(caller.TenantId, caller.ContextId, parentId, command.Slug);
        if (existing is null)
        {
            var created = await GrainFactory.GetGrain<IFolderGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()))
                .InsertAsync(caller, new NewFolder(
                    parentId, command.Name, command.Description, command.Slug, userId, scopes, IsProtected: false, ChangeReason: null));
            if (created is not null)
            {
                return new FolderCreateResult(created, Created: true);
            }

            // A concurrent create of the same path won the unique constraint: that folder is the answer.
            existing = await _store.FindChildAsync(caller.TenantId, caller.ContextId, parentId, command.Slug)
                ?? throw new ConflictException("CONFLICT", "The folder was created and deleted concurrently; retry the request.");
        }

        // Answering with the existing folder needs read on it (API-DELTA §1 "Idempotent-create collision"); root is exempt.
        if (!caller.MayRead("folders:r", existing.UserId, existing.Scopes))
        {
            throw new ValidationException("slug", "slug is already in use in this parent folder.");
        }

        if (!command.Upsert)
        {
            return new FolderCreateResult(existing, Created: false);
        }

        // Upsert overwrites the mutable fields the request carries; slug and parent are the key and never change.
        var updated = await GrainFactory.GetGrain<IFolderGrain>(caller.KeyFor(existing.Id.ToString()))
            .UpdateAsync(caller, new UpdateFolderCommand(command.Name, command.Description, command.UserId, command.OrgId, command.ClientId, ExpectedVersion: null, command.Scopes));
        return new FolderCreateResult(updated, Created: false);
    }

    async Task<FolderPage> IFolderDirectoryGrain.ListAsync(CallerContext caller, FolderListQuery query)
    {
        // The root is part of the tree a client navigates, so listing is one of the operations that provisions it.
        await EnsureRootAsync(caller);
        Guid? after = null;
        if (!string.IsNullOrEmpty(query.StartFrom))
        {
            after = Guid.TryParseExact(query.StartFrom, "D", out var cursor)
                ? cursor
                : throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }

        // The cursor follows the rows read; folders outside the caller's data scope are then left out, so a page may be
        // short with a cursor (API-DELTA §1 "Completeness").
        var rows = await _store.ListAsync(caller.TenantId, caller.ContextId, query, after, query.Limit + 1);
        var page = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit ? page[^1].Id.ToString() : null;
        return new FolderPage([.. page.Where(f => caller.MayRead("folders:r", f.UserId, f.Scopes))], next);
    }

    private async Task<FolderView> EnsureRootAsync(CallerContext caller)
    {
        Check(caller);
        var root = await _store.FindRootAsync(caller.TenantId, caller.ContextId);
        if (root is not null)
        {
            return root;
        }

        var created = await GrainFactory.GetGrain<IFolderGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()))
            .InsertAsync(caller, new NewFolder(
                ParentFolderId: null, FolderRules.RootName, Description: null, FolderRules.RootSlug, UserId: null, Scopes: [],
                IsProtected: true, RootReason));

        // Null: another caller provisioned it at the same moment (the root's null parent is unique too).
        return created ?? await _store.FindRootAsync(caller.TenantId, caller.ContextId)
            ?? throw new ConflictException("CONFLICT", "The context's root folder could not be provisioned; retry the request.");
    }

    /// <summary>The caller's context must be this grain's: a mismatch is a programming error, never a data leak.</summary>
    private void Check(CallerContext caller)
    {
        if (!string.Equals(caller.ContextKey, this.GetPrimaryKeyString(), StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The folder directory is keyed by the caller's tenant#context.");
        }
    }
}
