namespace Vectros.Runtime;

/// <summary>
/// Calls to this grain class may interleave at await points (still one thread at a time);
/// mirrors <c>Orleans.Concurrency.ReentrantAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute
{
}
