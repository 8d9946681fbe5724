using Orleans;

namespace Vectros.Grains.Abstractions.Errors;

/// <summary>
/// 402: the call needs money or allowance the environment does not have. <see cref="VectrosException.ErrorCode"/> is
/// <c>INSUFFICIENT_BALANCE</c> (the prepaid inference balance cannot cover it) or <c>SUBSCRIPTION_LIMIT_EXCEEDED</c>
/// (the month's credit allowance is used up), as API-DELTA §7 names them. Thrown before any work is done.
/// </summary>
[GenerateSerializer, Alias("vectros.PaymentRequiredException")]
public sealed class PaymentRequiredException(string errorCode, string message) : VectrosException(errorCode, message)
{
    public const string InsufficientBalance = "INSUFFICIENT_BALANCE";
    public const string SubscriptionLimitExceeded = "SUBSCRIPTION_LIMIT_EXCEEDED";
}

/// <summary>413: the input is over a documented size cap (e.g. a document over ask's 32K-token cap).</summary>
[GenerateSerializer, Alias("vectros.TooLargeException")]
public sealed class TooLargeException(string message, string errorCode = "PAYLOAD_TOO_LARGE") : VectrosException(errorCode, message);
