namespace Vectros.Runtime;

/// <summary>
/// On a grain interface method (or its implementation): the method does not change the grain's
/// state, so such calls may interleave with each other, never with other turns; mirrors
/// <c>Orleans.Concurrency.ReadOnlyAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute
{
}
