namespace Vectros.Runtime;

/// <summary>
/// Up to <see cref="MaxLocalWorkers"/> activations of the same grain id per silo serve calls in
/// parallel (DESIGN §3 "Stateless workers"); mirrors <c>Orleans.Concurrency.StatelessWorkerAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StatelessWorkerAttribute(int maxLocalWorkers = 0) : Attribute
{
    /// <summary>Maximum activations per silo; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxLocalWorkers { get; } = maxLocalWorkers;
}
