using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Grpc;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Invites;
using Vectros.ApiFrontend.Logs;
using Vectros.ApiFrontend.Metrics;
using Vectros.ApiFrontend.RateLimiting;
using Vectros.Grains.Network;
using Vectros.Silo;

namespace Vectros.ApiFrontend;

/// <summary>Builds the HTTP front end with an embedded silo (one process by default, DESIGN §2).</summary>
public static class ApiHostingExtensions
{
    /// <summary>Creates the application; <paramref name="configure"/> lets tests and tools add configuration or services.</summary>
    public static WebApplication BuildVectrosApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddVectrosApi();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseVectrosApi();
        return app;
    }

    public static WebApplicationBuilder AddVectrosApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Listening to Orleans' meter starts before the silo does, so no early measurement is missed.
        services.AddSingleton<OrleansMeters>();
        services.AddHostedService(sp => sp.GetRequiredService<OrleansMeters>());
        if (OrleansOptions.ClientRole(builder.Configuration))
        {
            builder.AddVectrosClient();
        }
        else
        {
            builder.AddVectrosSilo();
        }

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.WebHost.ConfigureKestrel((ctx, kestrel) =>
            kestrel.Limits.MaxRequestBodySize =
                ctx.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>()?.MaxRequestBodyBytes ?? new ApiOptions().MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = ApiJson.Response.DefaultIgnoreCondition;
            foreach (var converter in ApiJson.Response.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        services.AddMemoryCache();
        services.AddProblemDetails();
        services.AddVectrosOpenApi();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CredentialAuthenticator>();
        services.AddSingleton<TenantRevocations>();
        services.AddSingleton<ScopedTokenVerifier>();
        services.AddSingleton<FailedAuthLimiter>();
        services.AddSingleton<ExternalJwksCache>();
        services.AddSingleton<ExternalTokenVerifier>();
        services.AddHttpClient(ExternalJwksCache.HttpClientName, c =>
            {
                c.Timeout = TimeSpan.FromSeconds(5);
                c.MaxResponseContentBufferSize = ExternalJwksCache.MaxJwksBytes;
            })
            // An issuer's jwksUri is the partner's choice: the same anti-SSRF connector as webhooks (DNS checked at
            // connect time, inside addresses refused), loopback only with the development setting the tests use.
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectCallback = sp.GetRequiredService<GuardedConnector>()
                    .Create((_, _) => sp.GetRequiredService<IOptions<AuthOptions>>().Value.AllowLoopbackHttpJwks),
            });
        services.AddGuardedConnections();
        services.AddSingleton<HttpMetrics>();
        services.AddListCursors();
        services.AddFileUrls();
        services.AddOptions<Vectros.Grains.Exports.ExportOptions>().BindConfiguration(Vectros.Grains.Exports.ExportOptions.Section);
        services.AddSingleton<ExportUrls>();
        // Export lines take the read APIs' shapes; the silo's default formatter is only for hosts without a front end.
        services.Replace(ServiceDescriptor.Singleton<Vectros.Grains.Exports.IExportLineFormatter, ExportLineFormatter>());
        services.AddInviteSender();
        services.AddApiCors();
        services.AddVectrosRateLimiting();
        services.AddApiLogs();
        builder.AddVectrosGrpc();
        return builder;
    }

    public static WebApplication UseVectrosApi(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseGrpcPortSeparation();
        // Outside the exception handler and the authentication gate: the admin log sees every final status.
        app.UseMiddleware<ApiCallLogMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(ctx => ErrorResponses.WriteForStatusAsync(ctx.HttpContext));
        // Before routing: the dashboard's guard must see every request under its prefix, whatever serves it.
        app.MapDashboard();
        app.UseRouting();
        app.UseMiddleware<HttpMetricsMiddleware>();

        // CORS answers preflights (which carry no credential) and decorates every response, errors included;
        // an unsupported Vectros-Version is refused before any work, authentication included.
        app.UseCors();
        app.UseMiddleware<WireVersionMiddleware>();
        app.UseMiddleware<AuthenticationMiddleware>();
        app.UseMiddleware<PortalRequestSigning>();
        app.UseRateLimiter();
        app.UseMiddleware<ScopedAccessMiddleware>();

        app.MapOperationsApi();
        app.MapApiReference();
        app.MapDeveloperPortalApi();
        app.MapWebhooksApi();
        app.MapDomainsApi();
        app.MapTenantsApi();
        app.MapPingApi();
        app.MapAuthApi();
        app.MapIssuersApi();
        app.MapTokenExchangeApi();
        app.MapScopedKeysApi();
        app.MapAppContextsApi();
        app.MapAccessProfilesApi();
        app.MapRolesApi();
        app.MapSchemasApi();
        app.MapRecordsApi();
        app.MapFoldersApi();
        app.MapDocumentsApi();
        app.MapSearchApi();
        app.MapModelsApi();
        app.MapInferenceApi();
        app.MapNamespacesApi();
        app.MapEntitiesApi();
        app.MapOrgsApi();
        app.MapClientsApi();
        app.MapAdminLogsApi();
        app.MapExportsApi();
        app.MapUsageApi();
        app.MapUsersApi();
        app.MapInvitesApi();
        app.MapErasureApi();
        app.MapVectrosGrpc();
        return app;
    }
}
