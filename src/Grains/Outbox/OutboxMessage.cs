namespace Vectros.Grains.Outbox;

/// <summary>A leased outbox row handed to its handler.</summary>
public sealed record OutboxMessage(long Id, string Kind, string TenantId, string? ContextId, string Payload, int Attempts);
