using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.History;

namespace Vectros.Grains.Folders;

/// <summary>
/// One folder. The row is cached in the activation and every write is conditional on its version, so a second
/// activation (possible for a moment in cluster mode) reloads instead of overwriting. Every write adds its history
/// row in the same transaction (folder history is always on, spec L2818).
/// </summary>
public sealed class FolderGrain(NpgsqlDataSource dataSource, TimeProvider timeProvider) : Grain, IFolderGrain
{
    // Without expectedVersion the last write wins: a write that lost a race is re-applied on the fresh row.
    private const int MaxAttempts = 3;

    private readonly FolderStore _store = new(dataSource);
    private string _contextKey = "";
    private string _tenantId = "";
    private string _contextId = "";
    private Guid? _folderId;
    private FolderView? _view;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // tenant#context#folderId; an id that is not a UUID is simply a folder that does not exist.
        var key = this.GetPrimaryKeyString();
        var idAt = key.LastIndexOf('#');
        var contextAt = idAt > 0 ? key.LastIndexOf('#', idAt - 1) : -1;
        if (contextAt <= 0)
        {
            return;
        }

        (_tenantId, _contextId, _contextKey) = (key[..contextAt], key[(contextAt + 1)..idAt], key[..idAt]);
        if (Guid.TryParseExact(key[(idAt + 1)..], "D", out var id))
        {
            _folderId = id;
            _view = await _store.LoadAsync(_tenantId, _contextId, id);
        }
    }

    async Task<FolderView?> IFolderGrain.InsertAsync(CallerContext caller, NewFolder folder)
    {
        var id = _folderId is { } known && Owns(caller)
            ? known
            : throw new InvalidOperationException("A folder grain is keyed by the caller's tenant#context#id.");
        if (_view is not null)
        {
            throw new InvalidOperationException($"Folder {id} already exists.");
        }

        _view = await _store.InsertAsync(_tenantId, _contextId, id, folder, caller.CredentialId, Now());
        return _view;
    }

    Task<FolderView?> IFolderGrain.GetAsync(CallerContext caller) => Task.FromResult(Readable(caller));

    async Task<FolderView> IFolderGrain.UpdateAsync(CallerContext caller, UpdateFolderCommand command)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = RequireFor(caller, "u");
            if (command.ExpectedVersion is { } expected && expected != current.Version)
            {
                // The cache may trail a write by another activation: decide on the stored version.
                await ReloadAsync();
                current = Require(caller);
                if (expected != current.Version)
                {
                    throw VersionConflict(expected, current.Version);
                }
            }

            var next = current with
            {
                Name = command.Name ?? current.Name,
                Description = command.Description ?? current.Description,
                UserId = command.UserId ?? current.UserId,
                Scopes = OwnershipScopes.Resolve(current.Scopes, command.Scopes, command.OrgId, command.ClientId),
            };
            caller.DemandReplacement("folders:u", CallerPlacement.Ownership(current.UserId, current.Scopes), CallerPlacement.Ownership(next.UserId, next.Scopes));
            if (next == current)
            {
                // Same content: no write, no version bump, no history row (spec L2591 for upserts; PUT and PATCH alike).
                return current;
            }

            var written = await _store.UpdateAsync(_tenantId, _contextId, current, next, caller.CredentialId, Now());
            if (written is not null)
            {
                _view = written;
                return written;
            }

            await ReloadAsync();
            if (command.ExpectedVersion is { } stale)
            {
                throw VersionConflict(stale, Require(caller).Version);
            }

            if (attempt == MaxAttempts)
            {
                throw new ConflictException("CONFLICT", "The folder is being changed concurrently; retry the request.");
            }
        }
    }

    async Task IFolderGrain.DeleteAsync(CallerContext caller)
    {
        RequireFor(caller, "d");
        var outcome = await _store.DeleteAsync(_tenantId, _contextId, _folderId!.Value, caller.CredentialId, Now());
        switch (outcome)
        {
            case FolderDeleteOutcome.Deleted or FolderDeleteOutcome.Missing:
                _view = null;
                if (outcome == FolderDeleteOutcome.Missing)
                {
                    throw NotFound();
                }

                return;
            case FolderDeleteOutcome.Protected:
                throw new ValidationException(null, "The context's root folder is protected and cannot be deleted.", "FOLDER_PROTECTED");
            case FolderDeleteOutcome.HasChildren:
                throw new ValidationException(null, "The folder still contains folders; delete them first.", "FOLDER_NOT_EMPTY");
            default:
                throw new ValidationException(null, "The folder still contains items; move or delete them first.", "FOLDER_NOT_EMPTY");
        }
    }

    async Task<VersionPage> IFolderGrain.GetVersionsAsync(CallerContext caller, string? startFrom, int limit)
    {
        // A deleted folder's ownership is no longer at hand, so a scoped caller is refused its history (fail-safe: the
        // same 404 as missing); root keys still read it.
        if (!Owns(caller) || _folderId is not { } id
            || (_view is { } live ? !caller.MayRead("folders:r", live.UserId, live.Scopes) : caller.IsScoped()))
        {
            throw NotFound();
        }

        var page = await VersionHistory.ListAsync(dataSource, _tenantId, _contextId, FolderRules.EntityKind, id.ToString(), startFrom, limit);
        if (page.Data.Count == 0
            && (startFrom is null || !await VersionHistory.ExistsAsync(dataSource, _tenantId, _contextId, FolderRules.EntityKind, id.ToString())))
        {
            throw NotFound();
        }

        return page;
    }

    /// <summary>A caller of another tenant or context sees nothing here, exactly as if the folder did not exist.</summary>
    private bool Owns(CallerContext caller) => string.Equals(caller.ContextKey, _contextKey, StringComparison.Ordinal);

    private FolderView Require(CallerContext caller) => Owns(caller) && _view is not null ? _view : throw NotFound();

    /// <summary>The folder if the caller may read it: outside its data scope is the same nothing as missing (issue #9 item 7).</summary>
    private FolderView? Readable(CallerContext caller) =>
        Owns(caller) && _view is { } view && caller.MayRead("folders:r", view.UserId, view.Scopes) ? view : null;

    /// <summary>The folder for a write: unreadable → 404; readable but the verb not granted on its ownership → 403.</summary>
    private FolderView RequireFor(CallerContext caller, string verb)
    {
        var view = Require(caller);
        if (caller.MayRead($"folders:{verb}", view.UserId, view.Scopes))
        {
            return view;
        }

        throw caller.MayRead("folders:r", view.UserId, view.Scopes)
            ? new ForbiddenException($"This operation requires the 'folders:{verb}' scope on this folder's ownership.")
            : NotFound();
    }

    private async Task ReloadAsync() =>
        _view = _folderId is { } id ? await _store.LoadAsync(_tenantId, _contextId, id) : null;

    /// <summary>Now, at the microsecond precision PostgreSQL stores, so the cached view equals the row.</summary>
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }

    private static NotFoundException NotFound() => new("No folder with this id exists.");

    private static ConflictException VersionConflict(long expected, long actual) =>
        new("VERSION_CONFLICT", $"The folder is at version {actual}, not the expected version {expected}; re-read it and retry.");
}
