namespace Vectros.Grains.Records;

/// <summary>The externalId is already held by another record of the type: the create becomes an idempotent match.</summary>
internal sealed class ExternalIdTakenException() : Exception("The externalId is held by another record.");

/// <summary>The row moved on under the grain (another activation wrote it): reload, then report a conflict.</summary>
internal sealed class VersionRaceException() : Exception("The record row changed under this activation.");
