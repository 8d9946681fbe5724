using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Keys;

namespace Vectros.Grains.Keys;

/// <summary>
/// One scoped key, keyed <c>tenant#keyId</c>: read and revoke. Revocation is a row update; the front ends' credential
/// cache (a few seconds) bounds how long the key keeps working on any silo. A caller confined to an app context sees
/// only that context's keys; every other key, like another account's, is a 404.
/// </summary>
public sealed class ScopedKeyGrain(NpgsqlDataSource dataSource) : Grain, IScopedKeyGrain
{
    private readonly ScopedKeyStore _store = new(dataSource);

    async Task<ScopedKeyView> IScopedKeyGrain.GetAsync(CallerContext caller)
    {
        var (tenantId, keyId) = Split();
        var key = string.Equals(caller.TenantId, tenantId, StringComparison.Ordinal) ? await _store.LoadAsync(tenantId, keyId) : null;
        return key is not null && (caller.IsRoot || string.Equals(key.ContextId, caller.ContextId, StringComparison.Ordinal))
            ? key
            : throw ScopedKeyErrors.NoKey();
    }

    async Task IScopedKeyGrain.RevokeAsync(CallerContext caller)
    {
        var (tenantId, keyId) = Split();
        if (!string.Equals(caller.TenantId, tenantId, StringComparison.Ordinal)
            || !await _store.RevokeAsync(tenantId, keyId, caller.IsRoot ? null : caller.ContextId))
        {
            throw ScopedKeyErrors.NoKey();
        }
    }

    private (string TenantId, string KeyId) Split()
    {
        var key = this.GetPrimaryKeyString();
        var hash = key.IndexOf('#', StringComparison.Ordinal);
        return (key[..hash], key[(hash + 1)..]);
    }
}
