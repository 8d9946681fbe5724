using Orleans;
using Orleans.Runtime;

namespace Vectros.Grains.Tests.Probes;

/// <summary>State written by the probe grains: Orleans-serialized, as all grain state is.</summary>
[GenerateSerializer, Alias("tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>A grain with one persistent state named "state", to exercise the grain storage provider.</summary>
[Alias("tests.IStateProbeGrain")]
public interface IStateProbeGrain : IGrainWithStringKey
{
    Task<string?> ReadAsync();

    /// <summary>Writes through the activation's ETag; a stale one surfaces as InconsistentStateException.</summary>
    Task WriteAsync(string value);

    Task ClearAsync();

    Task<string?> ETagAsync();
}

/// <summary>A second grain type with the same state name, which must not share rows with the first.</summary>
[Alias("tests.IOtherStateProbeGrain")]
public interface IOtherStateProbeGrain : IStateProbeGrain
{
}

public class StateProbeGrain([PersistentState("state")] IPersistentState<ProbeState> state) : Grain, IStateProbeGrain
{
    public Task<string?> ReadAsync() => Task.FromResult(state.State.Value);

    public async Task WriteAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();

    public Task<string?> ETagAsync() => Task.FromResult(state.Etag);
}

public sealed class OtherStateProbeGrain([PersistentState("state")] IPersistentState<ProbeState> state)
    : StateProbeGrain(state), IOtherStateProbeGrain;
