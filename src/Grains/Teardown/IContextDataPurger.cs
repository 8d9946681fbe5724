namespace Vectros.Grains.Teardown;

/// <summary>
/// Deletes one kind of a context's data in bounded batches. Every table that holds context data registers one
/// (records, documents, folders, schemas, … as they arrive), so deleting a context really deletes everything.
/// </summary>
public interface IContextDataPurger
{
    /// <summary>Human-readable name for logs.</summary>
    string Name { get; }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows in one transaction; returns how many went (0 = done).</summary>
    Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken);
}
