namespace Vectros.Runtime.Hosting;

/// <summary>A grain interface and the class that implements it.</summary>
internal sealed class GrainRegistration(Type interfaceType, GrainClass grainClass)
{
    public Type InterfaceType { get; } = interfaceType;

    /// <summary>The <see cref="GrainId.Type"/> of grains addressed through this interface: its full name.</summary>
    public string TypeName { get; } = interfaceType.FullName!;

    public GrainClass Class { get; } = grainClass;
}
