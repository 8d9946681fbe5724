using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectros.ApiFrontend.Http;

/// <summary>JSON settings for the wire. Requests are read strictly so that mistakes surface as a 400, not as defaults.</summary>
public static class ApiJson
{
    /// <summary>Responses: camelCase, nulls omitted (optional spec fields are absent rather than null).</summary>
    public static readonly JsonSerializerOptions Response = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Requests: unknown fields, numbers in strings, trailing commas and comments are all refused; duplicate members are
    /// refused by <see cref="JsonBody"/> before this runs (see <see cref="DuplicateMembers"/>).
    /// </summary>
    public static readonly JsonSerializerOptions Request = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
