using Orleans;

namespace Vectros.Grains.Abstractions.Records;

/// <summary>
/// The durable schedule that deletes expired records (0.40 <c>expiresAt</c>). One activation in the cluster
/// (key <see cref="Key"/>), driven by an Orleans reminder, so the schedule survives restarts and silo failures.
/// </summary>
[Alias("vectros.IRecordExpiryGrain")]
public interface IRecordExpiryGrain : IGrainWithStringKey
{
    /// <summary>The one key: not hex, so the ADO.NET provider keeps it as a string (DESIGN §1).</summary>
    public const string Key = "record-expiry";

    /// <summary>Registers (or re-registers) the reminder; idempotent, called by every silo at start-up.</summary>
    Task EnsureScheduledAsync();

    /// <summary>Deletes every record whose expiresAt has passed; returns how many it deleted.</summary>
    Task<int> SweepAsync();
}
