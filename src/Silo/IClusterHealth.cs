using Vectros.Grains.Outbox;

namespace Vectros.Silo;

/// <summary>What <c>/readyz</c> and <c>/metrics</c> ask of the process behind the HTTP front end, silo or client.</summary>
public interface IClusterHealth
{
    /// <summary>Whether this process can serve requests, and why not.</summary>
    Task<(bool Ready, string Detail)> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Outbox rows waiting, by kind; null when this process cannot tell (a client, or the database is unreachable).</summary>
    Task<IReadOnlyList<OutboxKindDepth>?> OutboxDepthAsync(CancellationToken cancellationToken);
}
