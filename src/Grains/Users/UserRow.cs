namespace Vectros.Grains.Users;

/// <summary>
/// A <c>users</c> row as stored: <see cref="StoredPayload"/> holds sensitive values as ciphertext markers, and the
/// bound schema is found at (<see cref="SchemaContextId"/>, <see cref="TypeName"/>). Never leaves the grains;
/// callers get an <see cref="Abstractions.Users.UserView"/>.
/// </summary>
internal sealed record UserRow
{
    public required Guid Id { get; init; }

    public required string ExternalId { get; init; }

    public string? Email { get; init; }

    public required string Type { get; init; }

    public required string Status { get; init; }

    public required string Role { get; init; }

    public string? ExternalSubject { get; init; }

    public required string StoredPayload { get; init; }

    public Guid? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public string? SchemaContextId { get; init; }

    public string? TypeName { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required long Version { get; init; }
}
