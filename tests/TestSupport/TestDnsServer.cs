using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Vectros.TestSupport;

/// <summary>
/// An authoritative DNS server of the tests' own on 127.0.0.1 (UDP, ARSoft.Tools.Net): a zone the tests edit while
/// servers resolve through it (<c>Vectros:Dns:Servers</c>), so a name can be flipped to a private address between
/// two deliveries. Unknown names are NXDOMAIN. One shared instance per test process; tests use their own names.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    private static readonly Lazy<TestDnsServer> _shared = new(Start);

    private readonly DnsServer _server;
    private readonly ConcurrentDictionary<string, IPAddress[]> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _texts = new(StringComparer.OrdinalIgnoreCase);

    private TestDnsServer(DnsServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public static TestDnsServer Shared => _shared.Value;

    public int Port { get; }

    /// <summary>The value for <c>Vectros:Dns:Servers:0</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How many queries were answered (to show a check really asked again).</summary>
    public int Queries => _queries;

    private int _queries;

    /// <summary>Sets the name's A/AAAA answers (replacing earlier ones).</summary>
    public void SetAddresses(string name, params IPAddress[] addresses) => _addresses[name.TrimEnd('.')] = addresses;

    /// <summary>Adds a TXT value at the name (several partners may publish side by side).</summary>
    public void AddText(string name, string value) => _texts.GetOrAdd(name.TrimEnd('.'), _ => []).Add(value);

    private static TestDnsServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
            }

            try
            {
                var server = new DnsServer(new UdpServerTransport(new IPEndPoint(IPAddress.Loopback, port), 5000));
                var self = new TestDnsServer(server, port);
                server.QueryReceived += self.AnswerAsync;
                server.Start();
                return self;
            }
            catch (SocketException) when (attempt < 5)
            {
                // Another process took the port between the probe and the bind: take another.
            }
        }
    }

    private Task AnswerAsync(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queries);
        if (e.Query is not DnsMessage query || query.Questions.Count != 1)
        {
            return Task.CompletedTask;
        }

        var question = query.Questions[0];
        var name = question.Name.ToString().TrimEnd('.');
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        var known = _addresses.TryGetValue(name, out var addresses) | _texts.TryGetValue(name, out var texts);
        response.ReturnCode = known ? ReturnCode.NoError : ReturnCode.NxDomain;
        foreach (var address in addresses ?? [])
        {
            if (question.RecordType == RecordType.A && address.AddressFamily == AddressFamily.InterNetwork)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, 0, address));
            }
            else if (question.RecordType == RecordType.Aaaa && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                response.AnswerRecords.Add(new AaaaRecord(question.Name, 0, address));
            }
        }

        if (question.RecordType == RecordType.Txt)
        {
            foreach (var text in texts ?? [])
            {
                response.AnswerRecords.Add(new TxtRecord(question.Name, 0, text));
            }
        }

        e.Response = response;
        return Task.CompletedTask;
    }

    public void Dispose() => _server.Stop();
}
