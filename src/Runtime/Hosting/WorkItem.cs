namespace Vectros.Runtime.Hosting;

/// <summary>Something that runs as a turn of an activation: a grain call or a timer tick.</summary>
internal abstract class WorkItem
{
    /// <summary>
    /// The caller's ExecutionContext (AsyncLocals such as Activity.Current), or null to run in a clean
    /// one. A turn must never inherit the context of whatever turn happened to start it.
    /// </summary>
    protected virtual ExecutionContext? Context => null;

    /// <summary>May interleave with other read-only turns of a non-reentrant activation.</summary>
    public abstract bool IsReadOnly { get; }

    /// <summary>Runs the turn on the activation's scheduler; reports its own outcome and never throws.</summary>
    public abstract Task ExecuteAsync(GrainActivation activation);

    /// <summary>Runs <see cref="ExecuteAsync"/> in <see cref="Context"/>.</summary>
    public Task RunAsync(GrainActivation activation)
    {
        if (Context is not { } context)
        {
            return ExecuteAsync(activation);
        }

        Task? turn = null;
        ExecutionContext.Run(context, _ => turn = ExecuteAsync(activation), null);
        return turn!;
    }

    /// <summary>The item will not run (activation failed, caller gave up, runtime stopping).</summary>
    public abstract void Fail(Exception error);

    /// <summary>Its caller has already timed out, so running it would be wasted work.</summary>
    public virtual bool IsExpired(long nowTimestamp) => false;
}
