# syntax=docker/dockerfile:1
# Vectros as a container: one image for both roles. By default it is a silo co-hosting the HTTP API; with
# Vectros__Orleans__Role=client it is a front end joined to the silos as an Orleans client. docker-compose.yml runs
# PostgreSQL 15 with pgvector, two silos and a front end. Configuration is the same as `./vectros up`:
#   ConnectionStrings__Vectros, Vectros__OperatorToken, Vectros__Security__MasterKey, ASPNETCORE_URLS,
#   Vectros__Orleans__* (ClusterId, ServiceId, Role, AdvertisedAddress, SiloPort, GatewayPort),
#   Vectros__Grpc__* (Endpoint, Enabled, CertificatePath, CertificatePassword) for the internal gRPC API.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The whole tree (minus .dockerignore): project references and shared build props stay
# correct as projects are added. The cache mount keeps NuGet packages between builds.
COPY . .
RUN --mount=type=cache,id=vectros-nuget,target=/root/.nuget/packages \
    dotnet publish src/ApiFrontend/Vectros.ApiFrontend.csproj -c Release -o /app \
        -p:UseAppHost=false -nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health check: the aspnet image does not ship one.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The gRPC listener binds every interface inside the container (its default outside is loopback): publish it only
# where the internal services that call it can reach it, or give it a certificate (Vectros__Grpc__CertificatePath).
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Vectros__Grpc__Endpoint=0.0.0.0:8081 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# HTTP, internal gRPC API (HTTP/2), silo-to-silo, gateway (Orleans clients).
EXPOSE 8080 8081 11111 30000
# The non-root user the .NET images provide (uid 1654).
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Vectros.ApiFrontend.dll"]
