using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Vectros.Silo;
using Vectros.TestSupport;

namespace Vectros.Cluster.Tests;

/// <summary>
/// One silo of a test cluster (or, with <c>Vectros__Orleans__Role=client</c>, a front end joined as a client) as a real process: the server's own build (copied next to this test assembly) run with
/// <c>dotnet Vectros.ApiFrontend.dll</c> on loopback ports of its own, serving HTTP. <see cref="Kill"/> is SIGKILL:
/// no graceful leave, no chance to flush anything.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, Uri baseAddress, int siloPort)
    {
        _process = process;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
    }

    public Uri BaseAddress { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed (warnings and errors), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(string connectionString, string clusterId, IDictionary<string, string>? environment = null)
    {
        var http = FreePorts.Next();
        var siloPort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet", "Vectros.ApiFrontend.dll")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}";
        // Each silo process serves its own gRPC listener: a free port, not the shared default.
        env["Vectros__Grpc__Endpoint"] = "127.0.0.1:0";
        env["ConnectionStrings__Vectros"] = connectionString;
        env["Vectros__Orleans__ClusterId"] = clusterId;
        env["Vectros__Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        env["Vectros__Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        env["Vectros__OperatorToken"] = VectrosTestServer.OperatorToken;
        env["Vectros__Security__MasterKey"] = VectrosTestServer.MasterKey;
        env["Vectros__RateLimit__PermitsPerMinute"] = "1000000";
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{http}"), siloPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The silo process exited during start-up:\n{silo.Output}");
                }

                try
                {
                    return (await probe.GetAsync("/readyz")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            $"silo on {silo.BaseAddress} to be ready",
            TimeSpan.FromSeconds(90));
        return silo;
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The sum of one Orleans metric over its series on this silo's /metrics.</summary>
    public async Task<double> MetricAsync(string name, string labelFilter = "")
    {
        using var client = CreateClient();
        var text = await client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => line.Contains(labelFilter, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
