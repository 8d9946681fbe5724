namespace Vectros.Runtime.Tests.Grains;

public sealed class TestGrainException(string message) : Exception(message);

public interface IThrowingGrain : IGrainWithStringKey
{
    Task ThrowBeforeAwaitAsync();

    Task<int> ThrowAfterAwaitAsync();

    ValueTask<int> ThrowFromValueTaskAsync();

    Task ThrowTimeoutAsync();

    Task<int> CountAsync();
}

public sealed class ThrowingGrain : Grain, IThrowingGrain
{
    private int _calls;

    // Not async: the exception is thrown synchronously by the method itself.
    public Task ThrowBeforeAwaitAsync() => throw new TestGrainException("before await");

    public async Task<int> ThrowAfterAwaitAsync()
    {
        await Task.Yield();
        throw new ArgumentOutOfRangeException(nameof(_calls), "after await");
    }

    public async ValueTask<int> ThrowFromValueTaskAsync()
    {
        await Task.Yield();
        throw new TestGrainException("value task");
    }

    public Task ThrowTimeoutAsync() => throw new TimeoutException("the grain's own timeout");

    public Task<int> CountAsync() => Task.FromResult(++_calls);
}
