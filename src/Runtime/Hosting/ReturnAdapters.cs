using System.Reflection;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// Converts between the awaitable a grain method returns (Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;)
/// and the untyped <c>Task&lt;object?&gt;</c> the mailbox carries, in both directions.
/// </summary>
internal static class ReturnAdapters
{
    /// <summary>Builds the adapters for <paramref name="returnType"/>, or returns false when it is not awaitable.</summary>
    public static bool TryCreate(
        Type returnType,
        out Func<object?, Task<object?>> awaitResult,
        out Func<Task<object?>, object> toCallerResult)
    {
        if (returnType == typeof(Task))
        {
            awaitResult = static result => AwaitTask((Task)result!);
            toCallerResult = static response => response;
            return true;
        }

        if (returnType == typeof(ValueTask))
        {
            awaitResult = static result => AwaitValueTask((ValueTask)result!);
            toCallerResult = static response => new ValueTask(response);
            return true;
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var resultType = returnType.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
            {
                awaitResult = Bind<Func<object?, Task<object?>>>(nameof(AwaitTaskOf), resultType);
                toCallerResult = Bind<Func<Task<object?>, object>>(nameof(ToTaskOf), resultType);
                return true;
            }

            if (definition == typeof(ValueTask<>))
            {
                awaitResult = Bind<Func<object?, Task<object?>>>(nameof(AwaitValueTaskOf), resultType);
                toCallerResult = Bind<Func<Task<object?>, object>>(nameof(ToValueTaskOf), resultType);
                return true;
            }
        }

        awaitResult = null!;
        toCallerResult = null!;
        return false;
    }

    private static TDelegate Bind<TDelegate>(string methodName, Type resultType)
        where TDelegate : Delegate =>
        typeof(ReturnAdapters)
            .GetMethod(methodName, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(resultType)
            .CreateDelegate<TDelegate>();

    // ConfigureAwait(false) here is safe: nothing of the grain runs after its returned task completes.
    private static async Task<object?> AwaitTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> AwaitValueTask(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> AwaitTaskOf<T>(object? task) => await ((Task<T>)task!).ConfigureAwait(false);

    private static async Task<object?> AwaitValueTaskOf<T>(object? task) =>
        await ((ValueTask<T>)task!).ConfigureAwait(false);

    private static object ToTaskOf<T>(Task<object?> response) => CastAsync<T>(response);

    private static object ToValueTaskOf<T>(Task<object?> response) => new ValueTask<T>(CastAsync<T>(response));

    private static async Task<T> CastAsync<T>(Task<object?> response) => (T)(await response.ConfigureAwait(false))!;
}
