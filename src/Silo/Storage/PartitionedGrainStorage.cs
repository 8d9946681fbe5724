using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Vectros.Silo.Storage;

/// <summary>
/// The grain storage every <c>IPersistentState&lt;T&gt;</c> uses, in front of Orleans' ADO.NET provider. It closes two
/// traps of that provider (DESIGN §1): the row records only the state name, so two grain types with the same state
/// name would share rows, and a string key that reads as a hex number is stored as that number, so "c1", "0c1" and
/// "C1" would share one row. Here the name stored is "grain type/state name", and a key that reads as a number (or
/// a Guid) but is not that number's own spelling is stored as a string with a non-hex marker in front.
/// </summary>
public sealed class PartitionedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    /// <summary>Marks a key that would otherwise be read as a number; '~' is never a hex digit.</summary>
    public const char LiteralKeyMarker = '~';

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(StoredName(stateName, grainId), StoredId(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(StoredName(stateName, grainId), StoredId(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(StoredName(stateName, grainId), StoredId(grainId), grainState);

    /// <summary>The name the provider stores: grain type and state name, so grain types never share rows.</summary>
    public static string StoredName(string stateName, GrainId grainId) => $"{grainId.Type}/{stateName}";

    /// <summary>
    /// The id the provider sees. A Guid or integer key in its canonical spelling passes unchanged (it maps to one
    /// number and back); any other key that would parse as one is made unambiguous by the marker.
    /// </summary>
    public static GrainId StoredId(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            return GrainIdKeyExtensions.CreateGuidKey(guid, guidExtension).Equals(grainId.Key) ? grainId : Literal(grainId);
        }

        if (grainId.TryGetIntegerKey(out var number, out var numberExtension))
        {
            return GrainIdKeyExtensions.CreateIntegerKey(number, numberExtension).Equals(grainId.Key) ? grainId : Literal(grainId);
        }

        return grainId;
    }

    private static GrainId Literal(GrainId grainId) => GrainId.Create(grainId.Type, LiteralKeyMarker + grainId.Key.ToString());
}
