namespace Vectros.Runtime.Storage;

/// <summary>A <c>grain_state</c> row: the JSON payload and its version.</summary>
internal readonly record struct StoredState(string Payload, int Etag);
