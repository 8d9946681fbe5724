using Orleans;

namespace Vectros.Grains.Abstractions.Logs;

/// <summary>Appends buffered log batches; a stateless worker (key 0) so every silo writes its share.</summary>
[Alias("vectros.IApiLogWriterGrain")]
public interface IApiLogWriterGrain : IGrainWithIntegerKey
{
    /// <summary>Writes the batch with binary COPY: one round trip per table.</summary>
    Task AppendAsync(ApiLogBatch batch);
}
