namespace Vectros.Grains.Outbox;

/// <summary>Rows of one outbox kind not yet done, and how long the oldest has waited (for /metrics).</summary>
public sealed record OutboxKindDepth(string Kind, long Rows, double OldestAgeSeconds);
