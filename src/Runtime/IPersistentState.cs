namespace Vectros.Runtime;

/// <summary>
/// A named piece of grain state stored in <c>grain_state</c> with an integer ETag
/// (DESIGN §3 "State"); mirrors <c>Orleans.Runtime.IPersistentState&lt;TState&gt;</c>.
/// Inject it as a grain constructor parameter marked <see cref="PersistentStateAttribute"/>.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The in-memory state; a new <typeparamref name="TState"/> when no record exists.</summary>
    TState State { get; set; }

    /// <summary>The stored version as a string, or null when no record exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a stored record exists (as of the last read or write).</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state; throws <see cref="InconsistentStateException"/> when the stored ETag moved.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record (with the same ETag check) and resets the state.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
