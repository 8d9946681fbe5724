using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Erasure;

/// <summary>
/// The grain keys of the rows an erasure deleted (records, documents, folders, the user or entity): they cache their
/// rows, so the handler drops those activations on every silo (<see cref="Teardown.ContextActivations"/>, by exact key)
/// and a later call activates the grain afresh, which finds nothing.
/// </summary>
internal static class ErasureActivations
{
    /// <summary>The grain keys of a plan's rows: <c>tenant#context#id</c>, entities <c>tenant#home#id</c>, users <c>tenant#id</c>.</summary>
    public static HashSet<string> KeysOf(string tenantId, ErasurePlan plan)
    {
        var keys = plan.Contexts
            .SelectMany(c => c.Records.Concat(c.Documents).Concat(c.Folders).Select(id => $"{tenantId}#{c.ContextId}#{id}"))
            .ToHashSet(StringComparer.Ordinal);
        if (plan.Identity is { } identity)
        {
            keys.Add(identity.Kind == ErasureSubject.UserIdentity
                ? UserRules.Key(tenantId, identity.Id)
                : EntityRules.Key(tenantId, identity.Home, identity.Id));
        }

        return keys;
    }
}
