using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Grain calls per second from server A's co-hosted client: to activations on A while it is a cluster of one, the same
/// again once server B has joined, and to activations living on B (same database and cluster id, its own ports). The
/// call is the cheapest real one: <see cref="IAppContextGrain.GetAsync"/> answering from the activation's cached row.
/// </summary>
public static class GrainCallScenario
{
    /// <summary>
    /// A cached call inside a silo costs about 10 µs, a thousandth of the database writes <c>--ops</c> is sized for;
    /// twenty times as many calls keep the fastest timed run near half a second, past the noise.
    /// </summary>
    private const int CallsPerOperation = 20;

    /// <summary>Timed runs per row, the fastest kept (<see cref="Measurement.BestOfAsync"/>): a local run lasts half a second.</summary>
    private const int Runs = 3;

    /// <summary>Activations per set: calls spread over several grains, as a real load would.</summary>
    private const int ContextsPerSet = 32;

    public static async Task RunAsync(BenchOptions options)
    {
        var calls = options.Operations * CallsPerOperation;
        // One cluster id and database: B finds A through the membership table. The ports differ already, as
        // VectrosTestServer takes fresh silo and gateway ports from FreePorts for every server it starts.
        var settings = new Dictionary<string, string?> { ["Vectros:Orleans:ClusterId"] = $"bench-{Guid.NewGuid():N}" };
        await using var db = await TestDatabase.CreateAsync("benchgrain");
        await using var a = await VectrosTestServer.StartAsync(db.ConnectionString, settings);
        var tenant = (await a.CreatePartnerAsync("bench")).TestTenantId;
        var fromA = a.Services.GetRequiredService<IGrainFactory>();

        // Created while A is alone, so these activations live on A (and stay there when B joins).
        var onA = References(fromA, await CreateContextsAsync(fromA, tenant, "local"));
        var alone = await Measure("A -> A, cluster of one silo", calls, options.Concurrency, onA);

        await using var b = await VectrosTestServer.StartAsync(db.ConnectionString, settings);
        await WaitForActiveSilosAsync(a, 2);
        await WaitForActiveSilosAsync(b, 2);
        var management = fromA.GetGrain<IManagementGrain>(0);
        var onB = await LivingOnAsync(management, References(fromA, await CreateOnAsync(b, tenant, "remote")), b);
        if (onB.Count == 0)
        {
            throw new BenchFailedException($"none of the {ContextsPerSet} activations placed with a hint for silo B live on B; no call would cross silos");
        }

        // Still on A once B has joined? Checked like B's, not assumed.
        var stillOnA = await LivingOnAsync(management, onA, a);
        var local = await Measure("A -> A, cluster of two silos", calls, options.Concurrency, stillOnA);
        var remote = await Measure("A -> B, crosses silos", calls, options.Concurrency, onB);
        await using var echo = await LoopbackEcho.StartAsync(options.Concurrency);
        var wire = await Measurement.BestOfAsync(Runs, $"raw TCP echo, {LoopbackEcho.MessageBytes} B over loopback", calls, options.Concurrency, _ => echo.RoundTripAsync());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grain-calls: {calls} IAppContextGrain.GetAsync calls per run (cached activations), concurrency {options.Concurrency}, best of {Runs} runs"));
        Console.WriteLine(" baseline = calls inside one silo (A's client to A's activations, A alone):");
        Console.WriteLine(alone.Row(alone));
        Console.WriteLine(local.Row(alone));
        Console.WriteLine(remote.Row(alone));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  two-silo / one-silo: x{remote.Throughput / alone.Throughput:F2}  (activations called: {stillOnA.Count} of {ContextsPerSet} on A, {onB.Count} of {ContextsPerSet} on B)"));
        // Not a floor: Orleans carries every call to B on one connection and batches its writes, which one round trip
        // per call on its own connection cannot. It says what a cross-silo call costs in loopback round trips.
        Console.WriteLine(" for scale (baseline = one raw TCP round trip per call over loopback, a connection per concurrent loop):");
        Console.WriteLine(wire.Row(wire));
        Console.WriteLine(remote.Row(wire));
    }

    /// <summary>
    /// Creates app contexts through <paramref name="silo"/>, asking for them to be placed there. Creating through B is
    /// not enough: the default placement put all 32 on A in one run out of three. Orleans' built-in placement
    /// directors honour a placement hint in the request context.
    /// </summary>
    private static async Task<string[]> CreateOnAsync(VectrosTestServer silo, string tenant, string prefix)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, SiloOf(silo));
        try
        {
            return await CreateContextsAsync(silo.Services.GetRequiredService<IGrainFactory>(), tenant, prefix);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>The grains whose activation the directory places on <paramref name="silo"/>: where they live is checked, not assumed.</summary>
    private static async Task<List<IAppContextGrain>> LivingOnAsync(IManagementGrain management, IEnumerable<IAppContextGrain> grains, VectrosTestServer silo)
    {
        var living = new List<IAppContextGrain>();
        foreach (var grain in grains)
        {
            if (SiloOf(silo).Equals(await management.GetActivationAddress(grain)))
            {
                living.Add(grain);
            }
        }

        return living;
    }

    private static SiloAddress SiloOf(VectrosTestServer server) => server.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>Creates app contexts <c>{prefix}-00 ..</c> through <paramref name="grains"/>, which activates them there.</summary>
    private static async Task<string[]> CreateContextsAsync(IGrainFactory grains, string tenant, string prefix)
    {
        var keys = Enumerable.Range(0, ContextsPerSet)
            .Select(n => AppContextKeys.Composite(tenant, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n:D2}")))
            .ToArray();
        foreach (var key in keys)
        {
            await grains.GetGrain<IAppContextGrain>(key).CreateAsync(new CreateAppContextCommand($"Bench {key}", null, Upsert: false));
        }

        return keys;
    }

    /// <summary>References made by <paramref name="grains"/>: one made by B's factory would send A's calls through B's runtime.</summary>
    private static IAppContextGrain[] References(IGrainFactory grains, IEnumerable<string> keys) =>
        keys.Select(key => grains.GetGrain<IAppContextGrain>(key)).ToArray();

    private static async Task<Measurement> Measure(string name, int calls, int concurrency, IReadOnlyList<IAppContextGrain> grains)
    {
        Func<int, Task> call = async i =>
        {
            // A null view would mean the activation lost its row: the call would be measuring something else.
            _ = await grains[i % grains.Count].GetAsync() ?? throw new BenchFailedException("an app context read back as missing");
        };
        // Measurement's 50 warm-up calls are enough for a database round trip, not for a 10 µs call path: an untimed
        // pass first lets tiered JIT finish, or the first row runs partly on unoptimised code and reads ~2x slow.
        await Measurement.RunAsync(name, calls, concurrency, call);
        return await Measurement.BestOfAsync(Runs, name, calls, concurrency, call);
    }

    /// <summary>A silo's own view of the membership table: calls to B fail until A has seen it become active.</summary>
    private static async Task WaitForActiveSilosAsync(VectrosTestServer server, int count)
    {
        var membership = server.Services.GetRequiredService<IClusterMembershipService>();
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(100))
        {
            if (membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new BenchFailedException($"the cluster did not reach {count} active silos within 30 s");
    }
}
