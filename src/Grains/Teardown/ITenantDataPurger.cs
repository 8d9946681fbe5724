namespace Vectros.Grains.Teardown;

/// <summary>
/// Deletes one kind of a tenant's tenant-wide data in bounded batches (tenant teardown, after every context's data is
/// gone). Tables register through <see cref="TenantTables"/>; stores that are not tables of the grains (Orleans grain
/// state) register their own.
/// </summary>
public interface ITenantDataPurger
{
    /// <summary>Step name in the teardown progress and in logs.</summary>
    string Name { get; }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows in one transaction; returns how many went (0 = done).</summary>
    Task<int> PurgeBatchAsync(string tenantId, int batchSize, CancellationToken cancellationToken);
}
