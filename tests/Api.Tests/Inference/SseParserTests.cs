using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>The test parser itself follows the SSE rules the stream tests rely on.</summary>
public sealed class SseParserTests
{
    [Fact]
    public void Fields_comments_multi_line_data_and_blank_line_dispatch()
    {
        var parser = SseParser.Parse(": heartbeat\r\nevent: done\r\ndata: {\"a\":1}\r\n\r\ndata:first\ndata: second\n\nevent: empty\n\ndata\r\rignored line without blank");
        Assert.Equal(["heartbeat"], parser.Comments);
        Assert.Equal(3, parser.Events.Count);
        Assert.Equal(new SseEvent("done", "{\"a\":1}"), parser.Events[0]);
        Assert.Equal(new SseEvent("message", "first\nsecond"), parser.Events[1]);
        Assert.Equal(new SseEvent("message", ""), parser.Events[2]);
    }
}
