namespace Vectros.Runtime;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>; the runtime
/// supplies it and loads it before <see cref="Grain.OnActivateAsync"/>. Mirrors
/// <c>Orleans.Runtime.PersistentStateAttribute</c> (without storage provider names: there is one store).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    /// <summary>The <c>state_name</c> the state is stored under for this grain.</summary>
    public string StateName { get; } = stateName;
}
