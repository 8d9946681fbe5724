using System.Text.Json.Serialization;

namespace Vectros.ApiFrontend.Http;

/// <summary>The error body on every failure (DESIGN §5): stable code, readable message, the request id.</summary>
public sealed record ApiError(
    string ErrorCode,
    string Message,
    string RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Details = null);
