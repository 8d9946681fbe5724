using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Drops the activations of grains keyed inside a context (<c>tenant#context#…</c>) on every silo of the cluster,
/// through Orleans' management grain: records, documents, schemas, folders, entities, roles, profiles and users cache their rows, and once a context's rows are
/// deleted no silo may go on serving them from memory. A call that arrives afterwards activates the grain afresh,
/// which then finds nothing.
/// </summary>
public sealed class ContextActivations(IGrainFactory grains)
{
    // A reference to any key names the grain type; the key itself is never activated.
    private readonly GrainType[] _cachingTypes =
    [
        grains.GetGrain<IRecordGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<ISchemaGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IFolderGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IEntityGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IDocumentGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IAccessRoleGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IAccessProfileGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IUserGrain>("type#probe").GetGrainId().Type,
    ];

    /// <summary>Deactivates every activation of a row-caching grain whose key starts with <paramref name="keyPrefix"/>; returns how many.</summary>
    public Task<int> DeactivateAsync(string keyPrefix, CancellationToken cancellationToken) =>
        DeactivateWhereAsync(key => key.StartsWith(keyPrefix, StringComparison.Ordinal), cancellationToken);

    /// <summary>Deactivates the activations of row-caching grains with exactly these keys (erasure: single rows); returns how many.</summary>
    public Task<int> DeactivateAsync(IReadOnlySet<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0 ? Task.FromResult(0) : DeactivateWhereAsync(keys.Contains, cancellationToken);

    private async Task<int> DeactivateWhereAsync(Func<string, bool> keyMatches, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var count = 0;
        foreach (var type in _cachingTypes)
        {
            var active = await management.GetActiveGrains(type, cancellationToken);
            foreach (var id in active.Where(id => keyMatches(id.Key.ToString()!)))
            {
                await management.DeactivateGrain(id, cancellationToken);
                count++;
            }
        }

        return count;
    }
}
