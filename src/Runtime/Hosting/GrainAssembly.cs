using System.Reflection;

namespace Vectros.Runtime.Hosting;

/// <summary>DI marker: an assembly whose grain classes <c>AddGrainsFrom</c> registered, already inspected.</summary>
internal sealed class GrainAssembly(Assembly assembly, IReadOnlyList<GrainClass> classes)
{
    public Assembly Assembly { get; } = assembly;

    public IReadOnlyList<GrainClass> Classes { get; } = classes;

    public static GrainAssembly Scan(Assembly assembly) =>
        new(assembly, [.. assembly.GetTypes().Where(GrainClass.IsGrainClass).Select(GrainClass.Inspect)]);
}
