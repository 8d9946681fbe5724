using Vectros.Runtime.Storage;

namespace Vectros.Runtime.Hosting;

/// <summary>A grain constructor parameter marked [PersistentState]: what to create for it.</summary>
internal sealed class PersistentStateParameter(string stateName, Type parameterType, Func<GrainId, string, GrainStateStore, IStateLoader> create)
{
    public string StateName { get; } = stateName;

    /// <summary><c>IPersistentState&lt;T&gt;</c>; the argument type given to ActivatorUtilities.</summary>
    public Type ParameterType { get; } = parameterType;

    public IStateLoader Create(GrainId grainId, GrainStateStore store) => create(grainId, StateName, store);
}
