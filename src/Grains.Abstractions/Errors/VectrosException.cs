using Orleans;

namespace Vectros.Grains.Abstractions.Errors;

/// <summary>
/// The small exception family grains throw for expected failures. The front end maps each kind to one
/// HTTP status in one place; messages must never contain secrets or sensitive field values. They cross grain
/// boundaries (and silos), so they carry Orleans serializers like any other message.
/// </summary>
[GenerateSerializer, Alias("vectros.VectrosException")]
public abstract class VectrosException(string errorCode, string message) : Exception(message)
{
    /// <summary>Stable machine-readable code, e.g. <c>VERSION_CONFLICT</c>.</summary>
    [Id(0)]
    public string ErrorCode { get; } = errorCode;
}

/// <summary>Missing, or belongs to another tenant or context: callers cannot tell the two apart.</summary>
[GenerateSerializer, Alias("vectros.NotFoundException")]
public sealed class NotFoundException(string message = "Not found.") : VectrosException("NOT_FOUND", message);

/// <summary>Bad input. <see cref="Field"/> names the failing field path when there is one.</summary>
[GenerateSerializer, Alias("vectros.ValidationException")]
public sealed class ValidationException(string? field, string message, string errorCode = "VALIDATION_ERROR")
    : VectrosException(errorCode, message)
{
    [Id(0)]
    public string? Field { get; } = field;
}

/// <summary>The write lost a race or contradicts current state (e.g. <c>VERSION_CONFLICT</c>).</summary>
[GenerateSerializer, Alias("vectros.ConflictException")]
public sealed class ConflictException(string errorCode, string message) : VectrosException(errorCode, message);

/// <summary>The credential is valid but may not do this.</summary>
[GenerateSerializer, Alias("vectros.ForbiddenException")]
public sealed class ForbiddenException(string message, string errorCode = "FORBIDDEN") : VectrosException(errorCode, message);
