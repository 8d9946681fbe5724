using System.Reflection;
using Vectros.Runtime.Statistics;

namespace Vectros.Runtime.Hosting;

/// <summary>One call of a grain method waiting in, or running from, an activation's mailbox.</summary>
internal sealed class GrainCall : WorkItem
{
    // Continuations run asynchronously so a caller never resumes inline on the callee's turn.
    private readonly TaskCompletionSource<object?> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object?[] _arguments;
    private readonly GrainTypeCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly long _dispatchedAt;
    private readonly long _deadline;
    private readonly ExecutionContext? _context = ExecutionContext.Capture();
    private int _finished;

    public GrainCall(
        GrainRegistration registration,
        GrainId grainId,
        GrainMethod method,
        object?[] arguments,
        TimeSpan timeout,
        GrainTypeCounters counters,
        TimeProvider timeProvider)
    {
        Registration = registration;
        GrainId = grainId;
        Method = method;
        _arguments = arguments;
        _counters = counters;
        _timeProvider = timeProvider;
        _dispatchedAt = timeProvider.GetTimestamp();
        _deadline = _dispatchedAt + (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency);
        counters.CallDispatched();
    }

    public GrainRegistration Registration { get; }

    public GrainId GrainId { get; }

    public GrainMethod Method { get; }

    public Task<object?> Response => _response.Task;

    public override bool IsReadOnly => Method.IsReadOnly;

    protected override ExecutionContext? Context => _context;

    public override bool IsExpired(long nowTimestamp) => nowTimestamp > _deadline;

    public override async Task ExecuteAsync(GrainActivation activation)
    {
        try
        {
            // DoNotWrapExceptions: a grain's synchronous throw reaches the caller as itself, not as
            // TargetInvocationException (DESIGN §3: exceptions surface unchanged).
            var returned = Method.InterfaceMethod.Invoke(
                activation.Grain, BindingFlags.DoNotWrapExceptions, binder: null, _arguments, culture: null);
            Complete(await Method.AwaitResult(returned));
        }
        catch (Exception error)
        {
            Fail(error);
        }
    }

    public override void Fail(Exception error)
    {
        if (TryFinish(failed: true))
        {
            _response.SetException(error);
        }
    }

    private void Complete(object? result)
    {
        if (TryFinish(failed: false))
        {
            _response.SetResult(result);
        }
    }

    // Counted before the caller can see the response, so statistics never lag behind what callers saw.
    private bool TryFinish(bool failed)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }

        _counters.CallCompleted(_timeProvider.GetElapsedTime(_dispatchedAt), failed);
        return true;
    }
}
