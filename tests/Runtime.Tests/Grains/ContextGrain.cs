namespace Vectros.Runtime.Tests.Grains;

public interface IContextGrain : IGrainWithStringKey
{
    /// <summary>The value of <see cref="ContextGrain.Ambient"/> the turn runs with.</summary>
    Task<string?> ReadAmbientAsync();
}

public sealed class ContextGrain : Grain, IContextGrain
{
    public static readonly AsyncLocal<string?> Ambient = new();

    public Task<string?> ReadAmbientAsync() => Task.FromResult(Ambient.Value);
}
