namespace Vectros.Runtime.Hosting;

/// <summary>Maps grain interfaces (by type and by <see cref="GrainId.Type"/> name) to their implementation.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainRegistration> _byInterface = [];
    private readonly Dictionary<string, GrainRegistration> _byName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<GrainAssembly> assemblies)
    {
        foreach (var grainClass in assemblies.DistinctBy(static a => a.Assembly).SelectMany(static a => a.Classes))
        {
            foreach (var grainInterface in grainClass.AddressableInterfaces)
            {
                if (_byInterface.TryGetValue(grainInterface, out var existing))
                {
                    throw new InvalidOperationException(
                        $"Grain interface {grainInterface.FullName} is implemented by both {existing.Class.Type.FullName} and {grainClass.Type.FullName}.");
                }

                var registration = new GrainRegistration(grainInterface, grainClass);
                _byInterface.Add(grainInterface, registration);
                _byName.Add(registration.TypeName, registration);
            }
        }
    }

    public IReadOnlyCollection<GrainRegistration> All => _byInterface.Values;

    public GrainRegistration Get(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var registration)
            ? registration
            : throw new InvalidOperationException(
                $"No grain class implements {grainInterface.FullName}; register its assembly with AddGrainsFrom.");

    /// <summary>Looks up a stored <see cref="GrainId.Type"/> (reminders).</summary>
    public bool TryGet(string grainType, out GrainRegistration registration) =>
        _byName.TryGetValue(grainType, out registration!);
}
