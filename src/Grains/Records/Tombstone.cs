using System.Text.Json.Nodes;

namespace Vectros.Grains.Records;

/// <summary>What is left of a deleted record.</summary>
internal sealed record Tombstone(string TypeName, JsonObject Snapshot, string DeletedBy, DateTimeOffset DeletedAt);
