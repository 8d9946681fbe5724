using System.Reflection;

namespace Vectros.Runtime.Hosting;

/// <summary>One grain interface method as the runtime dispatches it.</summary>
internal sealed class GrainMethod(
    MethodInfo interfaceMethod,
    bool isReadOnly,
    Func<object?, Task<object?>> awaitResult,
    Func<Task<object?>, object> toCallerResult)
{
    public MethodInfo InterfaceMethod { get; } = interfaceMethod;

    /// <summary>[ReadOnly] on the interface method or its implementation: may interleave with other read-only turns.</summary>
    public bool IsReadOnly { get; } = isReadOnly;

    /// <summary>"IFooGrain.BarAsync", for messages and logs (never the arguments).</summary>
    public string DisplayName { get; } = $"{interfaceMethod.DeclaringType!.Name}.{interfaceMethod.Name}";

    /// <summary>Awaits what the grain method returned and boxes its result.</summary>
    public Func<object?, Task<object?>> AwaitResult { get; } = awaitResult;

    /// <summary>Turns the untyped response into the method's declared return type for the caller.</summary>
    public Func<Task<object?>, object> ToCallerResult { get; } = toCallerResult;
}
