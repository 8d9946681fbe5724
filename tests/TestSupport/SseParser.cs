using System.Text;

namespace Vectros.TestSupport;

/// <summary>One dispatched Server-Sent Event: its type (<c>message</c> when no <c>event:</c> field) and its data lines joined by LF.</summary>
public sealed record SseEvent(string Type, string Data);

/// <summary>
/// A Server-Sent Events parser that follows the HTML specification's rules ("Parsing an event stream"): lines end in
/// CRLF, LF or CR; a line starting with a colon is a comment; <c>field:value</c> drops one leading space from the value;
/// a line without a colon is a field with an empty value; <c>data</c> lines accumulate with LF between them; a blank
/// line dispatches the event (none when the data buffer is empty); unknown fields are ignored. Comments are kept so
/// tests can see heartbeats.
/// </summary>
public sealed class SseParser
{
    private readonly StringBuilder _data = new();
    private string _type = "";
    private bool _hasData;

    public List<SseEvent> Events { get; } = [];

    public List<string> Comments { get; } = [];

    /// <summary>Reads <paramref name="stream"/> to its end, or until <paramref name="stop"/> says so after an event.</summary>
    public static async Task<SseParser> ReadAsync(Stream stream, Func<SseParser, bool>? stop = null, CancellationToken cancellationToken = default)
    {
        var parser = new SseParser();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = new StringBuilder();
        var buffer = new char[1];
        var previousWasCr = false;
        while (await reader.ReadAsync(buffer.AsMemory(), cancellationToken) == 1)
        {
            var c = buffer[0];
            if (c == '\n' && previousWasCr)
            {
                previousWasCr = false;
                continue;
            }

            previousWasCr = c == '\r';
            if (c is '\n' or '\r')
            {
                var count = parser.Events.Count;
                parser.Line(line.ToString());
                line.Clear();
                if (parser.Events.Count > count && stop?.Invoke(parser) == true)
                {
                    return parser;
                }
            }
            else
            {
                line.Append(c);
            }
        }

        return parser;
    }

    /// <summary>Parses a whole stream held in a string.</summary>
    public static SseParser Parse(string text)
    {
        var parser = new SseParser();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            parser.Line(line);
        }

        return parser;
    }

    private void Line(string line)
    {
        if (line.Length == 0)
        {
            Dispatch();
            return;
        }

        if (line[0] == ':')
        {
            Comments.Add(line[1..].TrimStart(' '));
            return;
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' '))
        {
            value = value[1..];
        }

        switch (field)
        {
            case "event":
                _type = value;
                break;
            case "data":
                _data.Append(value).Append('\n');
                _hasData = true;
                break;
        }
    }

    private void Dispatch()
    {
        if (_hasData)
        {
            var data = _data.ToString();
            Events.Add(new SseEvent(_type.Length == 0 ? "message" : _type, data.EndsWith('\n') ? data[..^1] : data));
        }

        _data.Clear();
        _type = "";
        _hasData = false;
    }
}
