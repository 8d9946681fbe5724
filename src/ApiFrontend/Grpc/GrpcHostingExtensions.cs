using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// The internal gRPC API (issue #12): Grpc.AspNetCore services in this same application, on their own HTTP/2 port.
/// A gRPC call runs through the same middleware as an HTTP request (credential, rate limit, context checks, call
/// log), and its service calls the same grains with the same request readers, so the two front doors cannot drift.
/// </summary>
public static class GrpcHostingExtensions
{
    public static WebApplicationBuilder AddVectrosGrpc(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GrpcOptions>().BindConfiguration(GrpcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GrpcListener>();
        services.AddGrpc();
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GrpcOptions>>((o, grpc) =>
        {
            o.Interceptors.Add<GrpcErrorInterceptor>();
            o.MaxReceiveMessageSize = grpc.Value.MaxReceiveMessageBytes;
            // Errors carry our own messages; an unexpected exception's text never reaches the client.
            o.EnableDetailedErrors = false;
            // No catch-all route for unknown services: it would match every two-segment POST path and turn the HTTP
            // API's 405s into 404s. An unknown service answers UNIMPLEMENTED through the status-code pages instead.
            o.IgnoreUnknownServices = true;
        });
        // Documents take file bytes and large texts: their own receive bound, from the upload limits.
        services.AddOptions<GrpcServiceOptions<DocumentsService>>().Configure<IOptions<GrpcOptions>, IConfiguration>(
            (o, grpc, configuration) => o.MaxReceiveMessageSize = DocumentsService.MaxReceiveMessageBytes(configuration, grpc.Value.MaxReceiveMessageBytes));
        services.AddGrpcReflection();
        // grpc.health.v1: SERVING while the database answers and the migrations are applied (the /readyz check).
        services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");

        // Declaring the gRPC endpoint in code makes Kestrel ignore the configured URLs: declare those here as well,
        // then clear the settings so Kestrel does not also try (and warn about) them. The URLs come from the command
        // line and environment, which are read by now; the gRPC settings are read when Kestrel starts, after every
        // configuration source has been added.
        var httpUrls = ListenAddresses.HttpUrls(builder.Configuration);
        builder.WebHost.UseSetting("urls", "");
        builder.WebHost.UseSetting("http_ports", "");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in httpUrls)
            {
                ListenAddresses.Listen(kestrel, url);
            }

            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<GrpcOptions>>().Value;
            if (!options.Enabled)
            {
                return;
            }

            var listener = kestrel.ApplicationServices.GetRequiredService<GrpcListener>();
            var (address, port) = ListenAddresses.Parse(options.Endpoint);
            void Configure(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http2;
                var tls = !string.IsNullOrEmpty(options.CertificatePath);
                if (tls)
                {
                    listen.UseHttps(options.CertificatePath!, options.CertificatePassword);
                }

                listener.Bind(listen, tls);
            }

            if (address is null)
            {
                kestrel.ListenAnyIP(port, Configure);
            }
            else
            {
                kestrel.Listen(address, port, Configure);
            }
        });
        return builder;
    }

    public static WebApplication MapVectrosGrpc(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<GrpcListener>().Enabled)
        {
            return app;
        }

        app.MapGrpcService<PingService>();
        app.MapGrpcService<RecordsService>();
        app.MapGrpcService<AppContextsService>();
        app.MapGrpcService<SchemasService>();
        app.MapGrpcService<FoldersService>();
        // Kestrel's server-wide body cap (Vectros:Api:MaxRequestBodyBytes) would refuse a file before gRPC reads it;
        // the service's MaxReceiveMessageSize (configured above) is this route's bound instead.
        app.MapGrpcService<DocumentsService>().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        app.MapGrpcService<SearchService>();
        app.MapGrpcService<InferenceService>();
        app.MapGrpcHealthChecksService();
        if (app.Services.GetRequiredService<IOptions<GrpcOptions>>().Value.Reflection)
        {
            app.MapGrpcReflectionService();
        }

        return app;
    }

    /// <summary>
    /// Keeps the front doors apart: gRPC only on its port, the HTTP API (and the dashboard, metrics, portal) only off it.
    /// Runs first, before any credential is looked at.
    /// </summary>
    public static WebApplication UseGrpcPortSeparation(this WebApplication app)
    {
        var listener = app.Services.GetRequiredService<GrpcListener>();
        app.Use(async (context, next) =>
        {
            var onGrpcPort = listener.Received(context);
            if (onGrpcPort != GrpcCalls.IsGrpcRequest(context) && listener.Enabled)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND",
                    onGrpcPort ? "This port serves the gRPC API only." : "The gRPC API is served on its own port.");
                return;
            }

            if (onGrpcPort && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                // Kestrel's server-wide body cap is for JSON bodies; a gRPC call is bounded per message by the services'
                // MaxReceiveMessageSize instead (without this a unary call over the cap failed as UNKNOWN).
                limit.MaxRequestBodySize = null;
            }

            await next(context);
        });
        return app;
    }
}
