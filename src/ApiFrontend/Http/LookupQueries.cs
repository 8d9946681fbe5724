using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// The parts of a field lookup (<c>GET|POST …/lookup</c>) that records and documents read the same way: type, field,
/// the match modes, order, paging and the 0.40 owner selectors. Record lookups add their composite and window
/// parameters on top; document lookups stay single-field (API-DELTA §4).
/// </summary>
public static class LookupQueries
{
    /// <summary>From the query string; the cursor is unsealed against this request.</summary>
    public static RecordLookupQuery FromQuery(HttpContext context)
    {
        var request = context.Request;
        return new RecordLookupQuery
        {
            Type = QueryParams.Optional(request, "type") ?? throw new ValidationException("type", "type is required."),
            Field = QueryParams.Optional(request, "field") ?? throw new ValidationException("field", "field is required."),
            Value = Present(request, "value"),
            From = Present(request, "from"),
            To = Present(request, "to"),
            Prefix = Present(request, "prefix"),
            Descending = Order(QueryParams.Optional(request, "order")),
            StartFrom = ListCursors.Unwrap(context),
            Limit = QueryParams.Limit(request),
            FromBody = false,
            UserId = Selector(QueryParams.Optional(request, "userId")),
            Scope = QueryParams.Optional(request, "scope") is { } scope ? OwnershipScopes.ReadFilter(scope) : null,
        };
    }

    /// <summary>From a lookup body; <paramref name="cursorBinding"/> is the body without its cursor, which the cursor is bound to.</summary>
    public static RecordLookupQuery FromBody(
        HttpContext context, string? type, string? field, string? value, string? from, string? to, string? prefix, string? order,
        string? startFrom, int? limit, string? userId, string? scope, object cursorBinding)
    {
        return new RecordLookupQuery
        {
            Type = string.IsNullOrEmpty(type) ? throw new ValidationException("type", "type is required.") : type,
            Field = string.IsNullOrEmpty(field) ? throw new ValidationException("field", "field is required.") : field,
            Value = value,
            From = from,
            To = to,
            Prefix = prefix,
            Descending = Order(order),
            StartFrom = ListCursors.Unwrap(context, startFrom, cursorBinding),
            Limit = QueryParams.Limit(limit),
            FromBody = true,
            UserId = Selector(userId),
            Scope = scope is { } s ? OwnershipScopes.ReadFilter(s) : null,
        };
    }

    /// <summary>The 0.40 <c>userId</c> lookup selector: whose basedOn variant's lookups apply (root only; the grain decides).</summary>
    public static Guid? Selector(string? userId) =>
        userId is null ? null
        : Guid.TryParse(userId, out var id) ? id
        : throw new ValidationException("userId", "userId must be a Vectros UUID.");

    // Lookup values may be long or sensitive: no length cap beyond the URL's, and never quoted back.
    public static string? Present(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>A repeated parameter (<c>values=a&amp;values=b</c>, API-DELTA §13), in order; null when absent.</summary>
    public static List<string>? PresentAll(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? [.. values.Select(v => v ?? "")] : null;

    private static bool Order(string? order) => order switch
    {
        null or "asc" => false,
        "desc" => true,
        _ => throw new ValidationException("order", "order must be 'asc' or 'desc'."),
    };
}
