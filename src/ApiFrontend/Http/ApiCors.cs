using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Bound from <c>Vectros:Cors</c>. The default is no origin: API keys are secrets that belong on servers, and a
/// self-hosted deployment should open itself to a browser application only by naming that application's origin
/// (e.g. <c>["https://app.example.com"]</c>). <c>["*"]</c> allows any origin; it is never combined with cookies
/// (Vectros authenticates with the <c>Authorization</c> header only).
/// </summary>
public sealed class ApiCorsOptions : IValidatableObject
{
    public const string Section = "Vectros:Cors";

    /// <summary>Exact origins (<c>scheme://host[:port]</c>, no path) allowed to call the API from a browser, or <c>*</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin != "*" && !IsOrigin(origin))
            {
                yield return new ValidationResult(
                    $"Vectros:Cors:AllowedOrigins entry '{origin}' must be '*' or an origin such as https://app.example.com (scheme, host and optional port; no path).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>ASP.NET Core CORS for the public API: the headers the official SDKs send, and the ones their callers read.</summary>
public static class ApiCors
{
    /// <summary>Request headers a browser client may send (API-DELTA §1: the SDKs' X-Fern-* headers are tolerated, CORS too).</summary>
    public static readonly string[] AllowedHeaders =
    [
        "Authorization", "Content-Type", WireVersionMiddleware.Header, "Idempotency-Key",
        "X-Fern-Language", "X-Fern-Runtime", "X-Fern-Runtime-Version", "X-Fern-SDK-Name", "X-Fern-SDK-Version",
    ];

    /// <summary>Response headers a browser client may read besides the safelisted ones.</summary>
    public static readonly string[] ExposedHeaders =
    [
        RequestIdMiddleware.Header, WireVersionMiddleware.Header, "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
    ];

    public static IServiceCollection AddApiCors(this IServiceCollection services)
    {
        services.AddOptions<ApiCorsOptions>().BindConfiguration(ApiCorsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<ApiCorsOptions>>((cors, api) => cors.AddDefaultPolicy(policy =>
            {
                var origins = api.Value.AllowedOrigins;
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }

                policy.WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                    .WithHeaders(AllowedHeaders)
                    .WithExposedHeaders(ExposedHeaders)
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));
        return services;
    }
}
