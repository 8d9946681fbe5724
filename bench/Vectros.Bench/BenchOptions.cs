using System.Globalization;

namespace Vectros.Bench;

/// <summary><c>[scenario] [--ops N] [--concurrency N] [--duration SECONDS] [--sweep]</c>.</summary>
/// <param name="Operations">Timed operations per in-process measurement.</param>
/// <param name="Concurrency">Concurrent loops in process, and connections for wrk.</param>
/// <param name="DurationSeconds">Length of each wrk run (the <c>http</c> scenario).</param>
/// <param name="Sweep">Also measure other settings than the shipped ones (the <c>relevance</c> and <c>search</c> scenarios).</param>
public sealed record BenchOptions(string? Scenario, int Operations, int Concurrency, int DurationSeconds, bool Sweep = false)
{
    public static BenchOptions Parse(string[] args)
    {
        string? scenario = null;
        var ops = 2000;
        var concurrency = 8;
        var duration = 10;
        var sweep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--ops":
                    ops = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--concurrency":
                    concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--duration":
                    duration = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--sweep":
                    sweep = true;
                    break;
                default:
                    scenario = args[i];
                    break;
            }
        }

        return new BenchOptions(scenario, ops, concurrency, duration, sweep);
    }
}
