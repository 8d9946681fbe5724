using System.Globalization;

namespace Vectros.Bench;

/// <summary><c>[scenario] [--ops N] [--concurrency N]</c>.</summary>
public sealed record BenchOptions(string? Scenario, int Operations, int Concurrency)
{
    public static BenchOptions Parse(string[] args)
    {
        string? scenario = null;
        var ops = 2000;
        var concurrency = 8;
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
                default:
                    scenario = args[i];
                    break;
            }
        }

        return new BenchOptions(scenario, ops, concurrency);
    }
}
