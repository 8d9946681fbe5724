using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vectros.Bench;

/// <summary>One wrk run against <see cref="Url"/>: <c>wrk -tT -cC -dDs --latency [-H auth] [-s script] url [-- args]</c>.</summary>
public sealed record WrkRun(Uri Url, int Connections, int Seconds)
{
    public string? Bearer { get; init; }

    public string? Script { get; init; }

    /// <summary>Passed after <c>--</c>; the script's <c>init(args)</c> sees the first as <c>args[1]</c>.</summary>
    public IReadOnlyList<string> ScriptArgs { get; init; } = [];
}

/// <summary>
/// Debian's wrk (apt package <c>wrk</c>), the HTTP load generator: a separate C process, so the server is measured
/// without a .NET client's allocations and thread-pool work inside the same runtime.
/// </summary>
public static partial class Wrk
{
    /// <summary>The wrk on PATH, or a failure that says how to install it.</summary>
    public static string Locate()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new BenchFailedException(
            "wrk is not installed: this scenario uses it as its HTTP load generator (Debian: apt-get install -y wrk)");
    }

    /// <summary>wrk threads: one per core, as the server, PostgreSQL and wrk share the machine; never more than connections.</summary>
    public static int Threads(int connections) => Math.Min(Environment.ProcessorCount, connections);

    /// <summary>Runs wrk and reads its summary; any non-2xx/3xx response fails the run, as its rate would not be the endpoint's.</summary>
    public static async Task<Measurement> RunAsync(string wrk, string name, WrkRun run)
    {
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in Arguments(run))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new BenchFailedException($"wrk exited with {process.ExitCode} for {name}: {await stderr}{output}");
        }

        return Parse(name, output);
    }

    private static IEnumerable<string> Arguments(WrkRun run)
    {
        var args = new List<string>
        {
            $"-t{Threads(run.Connections)}", $"-c{run.Connections}", $"-d{run.Seconds}s", "--latency",
        };
        if (run.Bearer is not null)
        {
            args.AddRange(["-H", $"Authorization: Bearer {run.Bearer}"]);
        }

        if (run.Script is not null)
        {
            args.AddRange(["-s", run.Script]);
        }

        args.Add(run.Url.ToString());
        if (run.ScriptArgs.Count > 0)
        {
            args.Add("--");
            args.AddRange(run.ScriptArgs);
        }

        return args;
    }

    private static Measurement Parse(string name, string output)
    {
        var rate = Number(RequestsPerSecond(), output, name, "Requests/sec");
        var requests = Number(RequestCount(), output, name, "requests in");
        var non2xx = Non2xx().Match(output);
        if (non2xx.Success)
        {
            throw new BenchFailedException($"{name}: {non2xx.Groups[1].Value} of {requests} responses were not 2xx/3xx");
        }

        var errors = SocketErrors().Match(output);
        if (errors.Success)
        {
            // Timeouts or resets lower the rate without failing a request: say so beside the numbers.
            Console.Error.WriteLine($"  note: wrk reported for {name}: {errors.Value.Trim()}");
        }

        if (requests == 0)
        {
            throw new BenchFailedException($"{name}: wrk completed no requests");
        }

        return new Measurement(name, (int)requests, requests / rate, LatencyMs(output, "50"), LatencyMs(output, "99"));
    }

    private static double Number(Regex pattern, string output, string name, string what)
    {
        var match = pattern.Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new BenchFailedException($"{name}: no '{what}' in wrk's output:\n{output}");
    }

    /// <summary>A percentile line of <c>--latency</c>'s distribution, e.g. <c>     99%    1.04ms</c>.</summary>
    private static double LatencyMs(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*(\d+) requests in ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: [^\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrors();
}
