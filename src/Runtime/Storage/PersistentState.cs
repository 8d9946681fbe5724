using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Vectros.Runtime.Storage;

/// <summary>
/// <see cref="IPersistentState{TState}"/> over <see cref="GrainStateStore"/>: JSON (web defaults) in
/// <c>payload</c>, the integer <c>etag</c> exposed as a string. An ETag mismatch becomes
/// <see cref="InconsistentStateException"/>; any other storage failure is wrapped once in
/// <see cref="GrainStorageException"/> naming the grain and state (STYLE).
/// No ConfigureAwait(false) here: <see cref="State"/> is set after the awaits, and that must happen on
/// the grain's scheduler, where reentrant turns of the same grain also run.
/// </summary>
internal sealed class PersistentState<TState>(GrainId grainId, string stateName, GrainStateStore store)
    : IPersistentState<TState>, IStateLoader
    where TState : new()
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private int? _etag;

    public TState State { get; set; } = new();

    public string? Etag => _etag?.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists => _etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var stored = await store.ReadAsync(grainId, stateName, cancellationToken);
            State = stored is { } row ? JsonSerializer.Deserialize<TState>(row.Payload, _json) ?? new TState() : new TState();
            _etag = stored?.Etag;
        }
        catch (Exception error) when (error is NpgsqlException or JsonException)
        {
            throw Wrap("read", error);
        }
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        int? written;
        try
        {
            var payload = JsonSerializer.Serialize(State, _json);
            written = _etag is { } expected
                ? await store.UpdateAsync(grainId, stateName, payload, expected, cancellationToken)
                : await store.InsertAsync(grainId, stateName, payload, cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or JsonException)
        {
            throw Wrap("write", error);
        }

        _etag = written ?? throw Conflict("write");
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        bool cleared;
        try
        {
            // With no ETag we believe there is no row; finding one means someone else wrote it.
            cleared = _etag is { } expected
                ? await store.DeleteAsync(grainId, stateName, expected, cancellationToken)
                : !await store.ExistsAsync(grainId, stateName, cancellationToken);
        }
        catch (NpgsqlException error)
        {
            throw Wrap("clear", error);
        }

        if (!cleared)
        {
            throw Conflict("clear");
        }

        State = new TState();
        _etag = null;
    }

    private InconsistentStateException Conflict(string operation) =>
        new($"Could not {operation} state '{stateName}' of grain {grainId}: its stored ETag is no longer {Etag ?? "(none)"}; another activation changed it.");

    private GrainStorageException Wrap(string operation, Exception error) =>
        new($"Could not {operation} state '{stateName}' of grain {grainId}: {error.Message}", error);
}
