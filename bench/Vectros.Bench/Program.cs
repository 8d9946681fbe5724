using Vectros.Bench;

// Benchmarks print ratios against a baseline run in the same process (never bare times as the verdict):
// timings on 2-core machines are noisy, ratios measured side by side are not.
var scenarios = new Dictionary<string, Func<BenchOptions, Task>>(StringComparer.Ordinal)
{
    ["app-contexts"] = AppContextScenario.RunAsync,
    ["records"] = RecordScenario.RunAsync,
    ["record-writes"] = RecordScenario.RunWritesOnlyAsync,
};

var options = BenchOptions.Parse(args);
// With no scenario named, run the reporting scenarios (not the profiling-only one).
string[] selected = options.Scenario is null ? ["app-contexts", "records"] : [options.Scenario];
foreach (var name in selected)
{
    if (!scenarios.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"unknown scenario '{name}'; known: {string.Join(", ", scenarios.Keys)}");
        return 2;
    }

    await run(options);
}

return 0;
