using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Runtime.Storage;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// A grain implementation class as the runtime uses it: how to construct it, how calls to it may
/// interleave, and the grain interface methods it serves. Built once by <see cref="Inspect"/>.
/// </summary>
internal sealed class GrainClass
{
    private GrainClass(
        Type type,
        bool isReentrant,
        int maxLocalWorkers,
        ObjectFactory factory,
        IReadOnlyList<PersistentStateParameter> stateParameters,
        IReadOnlyDictionary<MethodInfo, GrainMethod> methods)
    {
        Type = type;
        IsReentrant = isReentrant;
        MaxLocalWorkers = maxLocalWorkers;
        Factory = factory;
        StateParameters = stateParameters;
        Methods = methods;
        ReceiveReminder = methods.GetValueOrDefault(_receiveReminderMethod);
    }

    private static readonly MethodInfo _receiveReminderMethod = typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!;

    public Type Type { get; }

    public bool IsReentrant { get; }

    /// <summary>0 for ordinary grains; otherwise the [StatelessWorker] activation limit per silo.</summary>
    public int MaxLocalWorkers { get; }

    public bool IsStatelessWorker => MaxLocalWorkers > 0;

    /// <summary>Creates the grain from the activation's service scope plus its persistent states, in parameter order.</summary>
    public ObjectFactory Factory { get; }

    public IReadOnlyList<PersistentStateParameter> StateParameters { get; }

    /// <summary>Keyed by the interface method a proxy receives.</summary>
    public IReadOnlyDictionary<MethodInfo, GrainMethod> Methods { get; }

    /// <summary><see cref="IRemindable.ReceiveReminder"/> when the class implements <see cref="IRemindable"/>.</summary>
    public GrainMethod? ReceiveReminder { get; }

    /// <summary>Grain interfaces that <c>GetGrain</c> can address this class by.</summary>
    public IEnumerable<Type> AddressableInterfaces =>
        Type.GetInterfaces().Where(static i =>
            i != typeof(IGrainWithStringKey) && i != typeof(IGrainWithGuidKey)
            && (typeof(IGrainWithStringKey).IsAssignableFrom(i) || typeof(IGrainWithGuidKey).IsAssignableFrom(i)));

    /// <summary>True for the classes <c>AddGrainsFrom</c> registers.</summary>
    public static bool IsGrainClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        && type.IsSubclassOf(typeof(Grain))
        && typeof(IGrain).IsAssignableFrom(type);

    /// <summary>Reads attributes, constructor and methods; throws when the class breaks a rule of the runtime.</summary>
    public static GrainClass Inspect(Type type)
    {
        var workerAttribute = type.GetCustomAttribute<StatelessWorkerAttribute>();
        var maxLocalWorkers = workerAttribute switch
        {
            null => 0,
            { MaxLocalWorkers: > 0 } => workerAttribute.MaxLocalWorkers,
            { MaxLocalWorkers: 0 } => Environment.ProcessorCount,
            _ => throw new InvalidOperationException($"[StatelessWorker] on {type.FullName} needs a positive worker count (or 0 for one per CPU)."),
        };

        var stateParameters = InspectConstructor(type);
        var factory = ActivatorUtilities.CreateFactory(type, [.. stateParameters.Select(static p => p.ParameterType)]);
        return new GrainClass(
            type,
            type.IsDefined(typeof(ReentrantAttribute)),
            maxLocalWorkers,
            factory,
            stateParameters,
            InspectMethods(type));
    }

    private static List<PersistentStateParameter> InspectConstructor(Type type)
    {
        var constructors = type.GetConstructors();
        var constructor = constructors.Length == 1
            ? constructors[0]
            : constructors.SingleOrDefault(static c => c.IsDefined(typeof(ActivatorUtilitiesConstructorAttribute)))
              ?? throw new InvalidOperationException(
                  $"Grain class {type.FullName} must have one public constructor (or mark one [ActivatorUtilitiesConstructor]).");

        var result = new List<PersistentStateParameter>();
        foreach (var parameter in constructor.GetParameters())
        {
            var attribute = parameter.GetCustomAttribute<PersistentStateAttribute>();
            if (attribute is null)
            {
                continue;
            }

            var parameterType = parameter.ParameterType;
            if (!parameterType.IsGenericType || parameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException(
                    $"[PersistentState] parameter '{parameter.Name}' of {type.FullName} must be of type IPersistentState<T>.");
            }

            if (string.IsNullOrWhiteSpace(attribute.StateName) || result.Any(p => p.StateName == attribute.StateName))
            {
                throw new InvalidOperationException(
                    $"[PersistentState] names on {type.FullName} must be non-empty and distinct ('{attribute.StateName}').");
            }

            var create = typeof(GrainClass)
                .GetMethod(nameof(CreateState), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(parameterType.GetGenericArguments()[0])
                .CreateDelegate<Func<GrainId, string, GrainStateStore, IStateLoader>>();
            result.Add(new PersistentStateParameter(attribute.StateName, parameterType, create));
        }

        return result;
    }

    private static IStateLoader CreateState<TState>(GrainId grainId, string stateName, GrainStateStore store)
        where TState : new() =>
        new PersistentState<TState>(grainId, stateName, store);

    private static Dictionary<MethodInfo, GrainMethod> InspectMethods(Type type)
    {
        var methods = new Dictionary<MethodInfo, GrainMethod>();
        foreach (var grainInterface in type.GetInterfaces().Where(static i => typeof(IGrain).IsAssignableFrom(i)))
        {
            var map = type.GetInterfaceMap(grainInterface);
            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                var interfaceMethod = map.InterfaceMethods[i];
                var name = $"{grainInterface.FullName}.{interfaceMethod.Name}";
                if (interfaceMethod.IsGenericMethodDefinition)
                {
                    throw new InvalidOperationException($"Grain method {name} is generic; the runtime does not support generic grain methods.");
                }

                if (!ReturnAdapters.TryCreate(interfaceMethod.ReturnType, out var awaitResult, out var toCallerResult))
                {
                    throw new InvalidOperationException(
                        $"Grain method {name} must return Task, Task<T>, ValueTask or ValueTask<T>.");
                }

                var isReadOnly = interfaceMethod.IsDefined(typeof(ReadOnlyAttribute))
                                 || map.TargetMethods[i].IsDefined(typeof(ReadOnlyAttribute));
                methods[interfaceMethod] = new GrainMethod(interfaceMethod, isReadOnly, awaitResult, toCallerResult);
            }
        }

        return methods;
    }
}
