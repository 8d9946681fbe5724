using System.Globalization;
using System.Text.Json;
using Npgsql;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;
using Vectros.Grains.History;
using Orleans;
using Vectros.Silo;

namespace Vectros.ApiFrontend.Admin;

/// <summary>
/// Operator commands (<c>./vectros admin …</c>). They build the same services as the server, apply migrations,
/// and call grains directly; no HTTP listener is started.
/// </summary>
public static class AdminCommands
{
    private const string Usage = """
        usage: vectros admin <command>
          create-partner --name NAME [--json]   create a partner with live and test root keys (keys shown once)
          revoke-key KEY_ID                     revoke a root key (refused by the API within seconds)
          verify-history                        check every version-history hash chain; exit 1 on a break
          rotate-signing-key                    activate a new st_ token signing key now; tokens signed by the old
                                                key stay valid (its public key stays in the JWKS until they expire)
          rotate-keys                           re-wrap every tenant key under Vectros:Security:MasterKey (the old key
                                                must be in Vectros:Security:PreviousMasterKeys)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        // The command runs a private one-silo cluster of its own on free loopback ports, so it works whether or not
        // the server is running and never joins (or disturbs) the server's cluster: its own cluster id, and its own
        // service id, so the server's reminders and grain state are not this silo's to load. The grains it calls keep
        // their data in PostgreSQL under version checks, so the two clusters stay consistent.
        // Stdout carries only the command's output (scripts parse it); logs go to stderr, warnings and up.
        var privateCluster = $"admin-{Guid.NewGuid():N}";
        // The listen URL goes on the command line: the front end reads URLs from the command line and environment
        // before configuration callbacks run (ListenAddresses). No gRPC listener: the server may hold its port.
        await using var app = ApiHostingExtensions.BuildVectrosApp(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                // The private silo lives for a second; Orleans' start-up chatter (watchdog, membership) is noise here.
                ["Logging:LogLevel:Orleans"] = "Error",
                ["Vectros:Grpc:Enabled"] = "false",
                // Kestrel says it binds the URL declared in code rather than the configured one (ListenAddresses): noise here.
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
                ["Vectros:Orleans:Role"] = "silo",
                ["Vectros:Orleans:ClusterId"] = privateCluster,
                ["Vectros:Orleans:ServiceId"] = privateCluster,
                ["Vectros:Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Vectros:Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            });
            b.Logging.ClearProviders();
            b.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        try
        {
            return args[0] switch
            {
                "create-partner" => await CreatePartnerAsync(grains, args[1..]),
                "revoke-key" when args.Length == 2 => await RevokeKeyAsync(grains, args[1]),
                "rotate-signing-key" => await RotateSigningKeyAsync(grains),
                "verify-history" => await VerifyHistoryAsync(app.Services.GetRequiredService<NpgsqlDataSource>()),
                "rotate-keys" when args.Length == 1 => await RotateKeysAsync(app.Services.GetRequiredService<Vectros.Grains.Security.TenantKeyring>()),
                _ => Fail(Usage),
            };
        }
        catch (VectrosException ex)
        {
            return Fail($"error: {ex.Message}");
        }
        finally
        {
            await app.StopAsync();
            await ClusterMembership.ForgetAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), privateCluster);
        }
    }

    private static async Task<int> RotateKeysAsync(Vectros.Grains.Security.TenantKeyring keyring)
    {
        var (rewrapped, current) = await keyring.RotateAsync(CancellationToken.None);
        Console.WriteLine($"re-wrapped {rewrapped} tenant key row(s); {current} already under the current master key");
        return 0;
    }

    private static async Task<int> CreatePartnerAsync(IGrainFactory grains, string[] args)
    {
        var name = Option(args, "--name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fail("error: --name NAME is required");
        }

        var created = await grains.GetGrain<IPartnerGrain>(Guid.CreateVersion7()).CreateAsync(new CreatePartnerCommand(name));
        if (args.Contains("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(created, ApiJson.Response));
            return 0;
        }

        Console.WriteLine($"""
            Partner {created.Name} ({created.PartnerId})
              live tenant {created.LiveTenantId}  key id {created.LiveKey.KeyId}
                {created.LiveKey.RawKey}
              test tenant {created.TestTenantId}  key id {created.TestKey.KeyId}
                {created.TestKey.RawKey}
            Store these keys now: they are shown once and kept only as hashes.
            """);
        return 0;
    }

    private static async Task<int> RevokeKeyAsync(IGrainFactory grains, string keyId)
    {
        await grains.GetGrain<IRootKeyGrain>(keyId).RevokeAsync();
        Console.WriteLine($"revoked {keyId}");
        return 0;
    }

    private static async Task<int> RotateSigningKeyAsync(IGrainFactory grains)
    {
        // Silos pick the new key up within their key-ring refresh interval (Vectros:Tokens:RefreshInterval).
        var kid = await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).RotateAsync();
        Console.WriteLine($"signing key rotated: {kid} is active; earlier keys stay published until their tokens expire");
        return 0;
    }

    private static async Task<int> VerifyHistoryAsync(NpgsqlDataSource dataSource)
    {
        // History verification is an operator read over every tenant: it runs in the silo's storage layer
        // (VersionHistory), not through a grain, because it spans all entities at once.
        var rows = await VersionHistory.CountAsync(dataSource, CancellationToken.None);
        var breaks = await VersionHistory.VerifyAsync(dataSource, CancellationToken.None);
        foreach (var b in breaks)
        {
            Console.WriteLine($"BREAK {b.TenantId} {b.ContextId} {b.EntityKind} {b.EntityId} seq {b.Seq}: {b.Problem}");
        }

        Console.WriteLine(breaks.Count == 0
            ? $"history verified: {rows} version rows, every chain intact"
            : $"history broken: {breaks.Count} break(s) among {rows} version rows");
        return breaks.Count == 0 ? 0 : 1;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
