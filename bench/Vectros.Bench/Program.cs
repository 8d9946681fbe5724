using Vectros.Bench;

// Benchmarks print ratios against a baseline run in the same process (never bare times as the verdict):
// timings on 2-core machines are noisy, ratios measured side by side are not.
var scenarios = new Dictionary<string, Func<BenchOptions, Task>>(StringComparer.Ordinal)
{
    ["app-contexts"] = AppContextScenario.RunAsync,
    ["records"] = RecordScenario.RunAsync,
    ["record-writes"] = RecordScenario.RunWritesOnlyAsync,
    ["grain-calls"] = GrainCallScenario.RunAsync,
    ["http"] = HttpScenario.RunAsync,
    ["grpc"] = GrpcScenario.RunAsync,
    ["ingest"] = IngestScenario.RunAsync,
    ["metering"] = MeteringScenario.RunAsync,
    ["relevance"] = RelevanceScenario.RunAsync,
    ["search"] = SearchScenario.RunAsync,
    ["rag"] = RagScenario.RunAsync,
};

var options = BenchOptions.Parse(args);
// With no scenario named, run the reporting scenarios (not the profiling-only one).
string[] selected = options.Scenario is null ? ["app-contexts", "records", "grain-calls", "http", "grpc"] : [options.Scenario];
var failed = false;
foreach (var name in selected)
{
    if (!scenarios.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"unknown scenario '{name}'; known: {string.Join(", ", scenarios.Keys)}");
        return 2;
    }

    try
    {
        await run(options);
    }
    catch (BenchFailedException e)
    {
        // Said plainly, and the other scenarios still run; the exit code tells scripts that one did not.
        Console.Error.WriteLine($"{name}: {e.Message}");
        failed = true;
    }
}

return failed ? 1 : 0;
