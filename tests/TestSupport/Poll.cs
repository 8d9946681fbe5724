using System.Diagnostics;

namespace Vectros.TestSupport;

/// <summary>
/// Waits for something asynchronous (a reminder tick, a membership change) the way an observer would: checks every
/// 100 ms. The limit only stops a test that would otherwise hang; it is never the assertion.
/// </summary>
public static class Poll
{
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        var max = limit ?? TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (clock.Elapsed > max)
            {
                throw new TimeoutException($"Gave up after {max.TotalSeconds:0} s waiting for: {what}");
            }

            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    public static Task<TimeSpan> UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, limit);
}
