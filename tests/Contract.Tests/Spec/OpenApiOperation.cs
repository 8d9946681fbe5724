using System.Globalization;

namespace Vectros.Contract.Tests.Spec;

/// <summary>One operation of the spec: <c>GET /v1/ping</c> is <c>ping</c>.</summary>
/// <param name="OperationId">The spec's <c>operationId</c>.</param>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="Path">The path template exactly as the spec writes it, e.g. <c>/v1/app-contexts/{contextId}</c>.</param>
/// <param name="Responses">Declared responses keyed by the spec's status key ("200", "404", possibly "2XX" or "default").</param>
public sealed record OpenApiOperation(
    string OperationId,
    string Method,
    string Path,
    IReadOnlyDictionary<string, OpenApiResponse> Responses)
{
    /// <summary>
    /// The response declared for <paramref name="status"/>, or null when the operation does not declare it.
    /// OpenAPI 3.0 lets an exact code win over a range ("4XX") and a range over "default".
    /// </summary>
    public OpenApiResponse? Response(int status)
    {
        var exact = status.ToString(CultureInfo.InvariantCulture);
        if (Responses.TryGetValue(exact, out var response))
        {
            return response;
        }

        var range = string.Create(CultureInfo.InvariantCulture, $"{status / 100}XX");
        return Responses.TryGetValue(range, out response) ? response
            : Responses.TryGetValue("default", out response) ? response
            : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{OperationId} ({Method} {Path})";
}
