namespace Vectros.Runtime.Tests.Grains;

public interface IKeyedGrain : IGrainWithGuidKey
{
    ValueTask<Guid> GetKeyAsync();

    ValueTask<string> GetKeyStringAsync();
}

public sealed class KeyedGrain : Grain, IKeyedGrain
{
    public ValueTask<Guid> GetKeyAsync() => ValueTask.FromResult(GetPrimaryKey());

    public ValueTask<string> GetKeyStringAsync() => ValueTask.FromResult(GetPrimaryKeyString());
}
