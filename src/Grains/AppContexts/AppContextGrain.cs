using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Storage;

namespace Vectros.Grains.AppContexts;

/// <summary>
/// One app context. The row is cached in the activation and every write is conditional on its version, so a
/// second activation (possible for a moment in cluster mode) fails instead of overwriting.
/// </summary>
public sealed class AppContextGrain(NpgsqlDataSource dataSource) : Grain, IAppContextGrain
{
    private readonly AppContextStore _store = new(dataSource);
    private string _tenantId = "";
    private string _contextId = "";
    private AppContextView? _view;
    private long _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _contextId) = AppContextKeys.Split(this.GetPrimaryKeyString());
        await ReloadAsync();
    }

    async Task<AppContextCreateResult> IAppContextGrain.CreateAsync(CreateAppContextCommand command)
    {
        if (_contextId == AppContextKeys.Admin)
        {
            throw new ValidationException("contextId", "The contextId 'vectros-admin' is reserved and provisioned automatically.", "RESERVED_CONTEXT");
        }

        if (_view is null || _view.Status == AppContextStatus.Deleted)
        {
            var inserted = await _store.InsertOrReviveAsync(_tenantId, _contextId, command.Name, command.Description);
            if (inserted is null)
            {
                await ReloadAsync();
                throw PostgresErrors.Conflict("The app context");
            }

            Apply(inserted.Value);
            return new AppContextCreateResult(_view!, Created: true);
        }

        var unchanged = _view.Name == command.Name && _view.Description == command.Description;
        if (!command.Upsert || unchanged || _view.Status != AppContextStatus.Active)
        {
            // Idempotent create returns the existing context untouched; an identical upsert is a no-op (spec §1.8).
            return new AppContextCreateResult(_view, Created: false);
        }

        await UpdateAsync(command.Name, command.Description);
        return new AppContextCreateResult(_view, Created: false);
    }

    Task<AppContextView?> IAppContextGrain.GetAsync() => Task.FromResult(_view);

    async Task<AppContextView> IAppContextGrain.UpdateAsync(UpdateAppContextCommand command)
    {
        if (_view is not { Status: AppContextStatus.Active })
        {
            throw new NotFoundException("No app context exists with this contextId.");
        }

        var name = command.Name ?? _view.Name;
        var description = command.Description ?? _view.Description;
        if (name != _view.Name || description != _view.Description)
        {
            await UpdateAsync(name, description);
        }

        return _view;
    }

    async Task<AppContextView> IAppContextGrain.DeleteAsync()
    {
        if (_view is null || _view.Status == AppContextStatus.Deleted)
        {
            throw new NotFoundException("No app context exists with this contextId.");
        }

        if (_view.IsReserved)
        {
            throw new ValidationException("contextId", $"The reserved context '{_contextId}' cannot be deleted.", "RESERVED_CONTEXT");
        }

        if (_view.Status == AppContextStatus.Purging)
        {
            return _view;
        }

        var updated = await _store.SetStatusAsync(_tenantId, _contextId, AppContextStatus.Purging, _version, enqueueTeardown: true);
        await ApplyOrConflictAsync(updated);
        return _view;
    }

    async Task IAppContextGrain.MarkDeletedAsync()
    {
        await ReloadAsync();
        if (_view is not { Status: AppContextStatus.Purging })
        {
            return;
        }

        var updated = await _store.SetStatusAsync(_tenantId, _contextId, AppContextStatus.Deleted, _version, enqueueTeardown: false);
        await ApplyOrConflictAsync(updated);
    }

    private async Task UpdateAsync(string name, string? description)
    {
        var updated = await _store.UpdateAsync(_tenantId, _contextId, name, description, _version);
        await ApplyOrConflictAsync(updated);
    }

    private async Task ApplyOrConflictAsync((AppContextView View, long Version)? updated)
    {
        if (updated is null)
        {
            await ReloadAsync();
            throw PostgresErrors.Conflict("The app context");
        }

        Apply(updated.Value);
    }

    private async Task ReloadAsync()
    {
        var loaded = await _store.LoadAsync(_tenantId, _contextId);
        _view = loaded?.View;
        _version = loaded?.Version ?? 0;
    }

    private void Apply((AppContextView View, long Version) row) => (_view, _version) = row;
}
