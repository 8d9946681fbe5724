using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vectros.Api.Tests;

/// <summary>Just enough SMTP on loopback to accept one message and hand back the transcript.</summary>
internal sealed class FakeSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeSmtpServer()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public TaskCompletionSource<string> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _listener.Stop();

    private async Task ServeAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var transcript = new StringBuilder();
        await writer.WriteLineAsync("220 fake ESMTP");
        var inData = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            transcript.AppendLine(line);
            if (inData)
            {
                if (line == ".")
                {
                    inData = false;
                    await writer.WriteLineAsync("250 queued");
                }

                continue;
            }

            var verb = line.Split(' ')[0].ToUpperInvariant();
            if (verb == "DATA")
            {
                inData = true;
                await writer.WriteLineAsync("354 go ahead");
            }
            else if (verb == "QUIT")
            {
                await writer.WriteLineAsync("221 bye");
                break;
            }
            else
            {
                await writer.WriteLineAsync("250 ok");
            }
        }

        Received.TrySetResult(transcript.ToString());
    }
}
