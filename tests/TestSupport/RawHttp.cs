using System.Net.Sockets;
using System.Text;

namespace Vectros.TestSupport;

/// <summary>
/// Sends a request line exactly as written. HttpClient normalises URIs (dot segments, escapes) before sending, so a
/// test of how the server treats odd path spellings has to write the bytes itself.
/// </summary>
public static class RawHttp
{
    /// <returns>The status code and the whole response text (headers and body).</returns>
    public static async Task<(int Status, string Response)> SendAsync(
        Uri baseAddress, string method, string rawTarget, string? authorization = null, string? jsonBody = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = tcp.GetStream();
        var body = jsonBody is null ? [] : Encoding.UTF8.GetBytes(jsonBody);
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(rawTarget).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Connection: close\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n");
        if (jsonBody is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }

        if (authorization is not null)
        {
            head.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var statusLine = response.Split("\r\n", 2)[0].Split(' ');
        return (int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }
}
