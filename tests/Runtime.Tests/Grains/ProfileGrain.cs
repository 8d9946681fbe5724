namespace Vectros.Runtime.Tests.Grains;

public sealed record ProfileState
{
    public string? Name { get; init; }

    public int Revision { get; init; }
}

public interface IProfileGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ProfileState> GetAsync();

    [ReadOnly]
    Task<string?> GetEtagAsync();

    Task SetNameAsync(string name);

    Task ReloadAsync();

    Task ClearAsync();

    Task DeactivateAsync();
}

public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public Task<ProfileState> GetAsync() => Task.FromResult(profile.State);

    public Task<string?> GetEtagAsync() => Task.FromResult(profile.Etag);

    public async Task SetNameAsync(string name)
    {
        profile.State = profile.State with { Name = name, Revision = profile.State.Revision + 1 };
        await profile.WriteStateAsync();
    }

    public Task ReloadAsync() => profile.ReadStateAsync();

    public Task ClearAsync() => profile.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
