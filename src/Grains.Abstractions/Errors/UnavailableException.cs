using Orleans;

namespace Vectros.Grains.Abstractions.Errors;

/// <summary>
/// A part of the service the request needs is down and the caller asked not to be served without it (e.g. a search
/// lane with <c>requireComplete</c>): 503, retryable.
/// </summary>
[GenerateSerializer, Alias("vectros.UnavailableException")]
public sealed class UnavailableException(string message, string errorCode = "UNAVAILABLE") : VectrosException(errorCode, message);
