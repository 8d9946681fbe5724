namespace Vectros.Grains.Abstractions.Errors;

/// <summary>
/// The small exception family grains throw for expected failures. The front end maps each kind to one
/// HTTP status in one place; messages must never contain secrets or sensitive field values.
/// </summary>
public abstract class VectrosException(string errorCode, string message) : Exception(message)
{
    /// <summary>Stable machine-readable code, e.g. <c>VERSION_CONFLICT</c>.</summary>
    public string ErrorCode { get; } = errorCode;
}

/// <summary>Missing, or belongs to another tenant or context: callers cannot tell the two apart.</summary>
public sealed class NotFoundException(string message = "Not found.") : VectrosException("NOT_FOUND", message);

/// <summary>Bad input. <see cref="Field"/> names the failing field path when there is one.</summary>
public sealed class ValidationException(string? field, string message, string errorCode = "VALIDATION_ERROR")
    : VectrosException(errorCode, message)
{
    public string? Field { get; } = field;
}

/// <summary>The write lost a race or contradicts current state (e.g. <c>VERSION_CONFLICT</c>).</summary>
public sealed class ConflictException(string errorCode, string message) : VectrosException(errorCode, message);

/// <summary>The credential is valid but may not do this.</summary>
public sealed class ForbiddenException(string message, string errorCode = "FORBIDDEN") : VectrosException(errorCode, message);
