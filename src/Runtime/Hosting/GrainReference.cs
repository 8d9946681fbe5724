using System.Reflection;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// The proxy <c>GetGrain</c> returns: each interface call becomes a <see cref="GrainCall"/> on the
/// grain's mailbox. Not sealed because <see cref="DispatchProxy"/> derives the proxy class from it.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy.Create needs an unsealed base type.
internal class GrainReference : DispatchProxy
#pragma warning restore CA1852
{
    private GrainCatalog? _catalog;
    private GrainRegistration? _registration;

    public GrainId GrainId { get; private set; }

    public override string ToString() => GrainId.ToString();

    // References to the same grain are equal, as in Orleans, so they work as dictionary keys.
    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    internal void Initialize(GrainCatalog catalog, GrainRegistration registration, GrainId grainId)
    {
        _catalog = catalog;
        _registration = registration;
        GrainId = grainId;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_catalog is null || _registration is null)
        {
            throw new InvalidOperationException("Grain reference was not initialized by the grain factory.");
        }

        if (!_registration.Class.Methods.TryGetValue(targetMethod, out var method))
        {
            throw new NotSupportedException($"{targetMethod.DeclaringType?.Name}.{targetMethod.Name} is not a grain method of {GrainId}.");
        }

        return method.ToCallerResult(_catalog.InvokeAsync(_registration, GrainId, method, args ?? []));
    }
}
