using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Indexing;
using Xunit;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>Text extraction from uploaded files (issue #8 item 2), on real files built in the test.</summary>
public sealed class TextExtractorTests : IDisposable
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private readonly ServiceProvider _services = EmbeddingTestServices.Build(new Dictionary<string, string?> { ["Vectros:Embeddings:Provider"] = "Hashing" });

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Plain_text_loses_its_byte_order_mark_and_keeps_its_lines()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Hello wörld\r\nsecond line  \r\n")).ToArray();

        Assert.Equal("Hello wörld\nsecond line", await TextAsync(bytes, "text/plain; charset=utf-8"));
    }

    [Fact]
    public async Task Invalid_UTF8_fails_naming_the_problem()
    {
        var result = await ExtractAsync([0x48, 0x69, 0x20, 0xC3, 0x28, 0x21], "text/csv");

        Assert.Null(result.Text);
        Assert.Equal("TEXT_INDEX_FAILED", result.FailureCode);
        Assert.Contains("not valid UTF-8", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("text/csv", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_charset_is_honoured_and_a_UTF16_byte_order_mark_recognised()
    {
        Assert.Equal("café crème", await TextAsync(Encoding.Latin1.GetBytes("café crème"), "text/plain; charset=ISO-8859-1"));
        Assert.Equal("naïve", await TextAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("naïve")], "text/plain"));
    }

    [Fact]
    public async Task NUL_and_control_characters_never_reach_the_text()
    {
        Assert.Equal("a b\tc", await TextAsync(Encoding.UTF8.GetBytes("a\0b\tc\u0007"), "text/plain"));
    }

    [Fact]
    public async Task Markdown_becomes_the_text_a_reader_sees()
    {
        const string markdown = """
            ---
            title: Front matter
            ---
            # Password reset

            To **reset** your _password_, open [the account page](https://example.test/account) and follow the steps.
            ![diagram](https://example.test/diagram.png)

            | Step | Action |
            |------|--------|
            | 1    | Click `Forgot password` |
            """;

        var text = await TextAsync(Encoding.UTF8.GetBytes(markdown), "text/markdown");

        Assert.Contains("Password reset", text, StringComparison.Ordinal);
        Assert.Contains("To reset your password, open the account page and follow the steps.", text, StringComparison.Ordinal);
        Assert.Contains("Forgot password", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#", text, StringComparison.Ordinal);
        Assert.DoesNotContain("|--", text, StringComparison.Ordinal);
        Assert.Equal(text, await TextAsync(Encoding.UTF8.GetBytes(markdown), "text/x-markdown"));
    }

    [Fact]
    public async Task HTML_keeps_visible_text_with_blocks_on_their_own_lines()
    {
        const string html = """
            <!doctype html>
            <html><head><title>Head title</title><style>body { color: red }</style><script>var secret = "tracking";</script></head>
            <body>
              <h1>Billing   FAQ</h1>
              <p>Invoices are sent <b>monthly</b>.<br>Pay by card.</p>
              <script>alert("inline script")</script>
              <noscript>Enable JavaScript</noscript>
              <ul><li>Card</li><li>Transfer</li></ul>
              <table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>10 &euro;</td></tr></table>
            </body></html>
            """;

        var text = await TextAsync(Encoding.UTF8.GetBytes(html), "text/html");

        Assert.Equal("Billing FAQ\n\nInvoices are sent monthly.\nPay by card.\n\nCard\nTransfer\n\nPlan | Price\nPro | 10 €", text);
    }

    [Fact]
    public async Task JSON_is_flattened_to_one_line_per_value_with_its_path()
    {
        const string json = """
            {"customer": {"name": "Ada Lovelace", "vip": true, "address": null},
             "tags": ["math", "engines"], "total": 42.5, "notes": "Paid \u0000 in full"}
            """;

        var text = await TextAsync(Encoding.UTF8.GetBytes(json), "application/json");

        Assert.Equal("customer.name: Ada Lovelace\ncustomer.vip: true\ntags: math\ntags: engines\ntotal: 42.5\nnotes: Paid   in full", text);
    }

    [Fact]
    public async Task Invalid_JSON_fails()
    {
        var result = await ExtractAsync(Encoding.UTF8.GetBytes("{\"unterminated\": "), "application/json");

        Assert.Equal("TEXT_INDEX_FAILED", result.FailureCode);
        Assert.StartsWith("The JSON file could not be read", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSV_rows_become_lines_with_quoted_cells_intact()
    {
        const string csv = "name,city,note\r\n\"Lovelace, Ada\",London,\"said \"\"hello\"\"\nthen left\"\r\n,,\r\nBabbage,,\r\n";

        Assert.Equal("name | city | note\nLovelace, Ada | London | said \"hello\" then left\nBabbage", await TextAsync(Encoding.UTF8.GetBytes(csv), "text/csv"));
        Assert.Equal("a | b\n1,5 | 2", await TextAsync(Encoding.UTF8.GetBytes("a;b\n1,5;2\n"), "text/csv"));
    }

    [Fact]
    public async Task DOCX_paragraphs_and_tables_come_out_in_reading_order()
    {
        var text = await TextAsync(TestFiles.Docx(), Docx);

        Assert.Equal(
            "Onboarding guide\nReset your password\tbefore the first login.\nPlan | Seats\nEnterprise | 250\nInside a content control.\nContact support for anything else.",
            text);
    }

    [Fact]
    public async Task PDF_pages_come_out_in_order()
    {
        var pdf = TestFiles.Pdf(["Quarterly revenue grew", "in every region."], ["Page two covers", "the hiring plan."]);

        var text = await TextAsync(pdf, "application/pdf");

        var first = text.IndexOf("Quarterly revenue grew", StringComparison.Ordinal);
        var second = text.IndexOf("the hiring plan.", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, text);
        Assert.Contains("in every region.", text, StringComparison.Ordinal);
        Assert.Contains("Page two covers", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.md", "Some *notes*", "Some notes")]
    [InlineData("page.HTML", "<p>Hi<script>x()</script></p>", "Hi")]
    [InlineData("data.json", "[\"a\", 1]", "a\n1")]
    [InlineData("readme.txt", "plain", "plain")]
    public async Task A_generic_type_falls_back_on_the_file_names_extension(string fileName, string content, string expected)
    {
        Assert.Equal(expected, await TextAsync(Encoding.UTF8.GetBytes(content), "application/octet-stream", fileName));
    }

    [Fact]
    public async Task A_generic_type_reads_DOCX_and_PDF_by_extension()
    {
        Assert.Contains("Onboarding guide", await TextAsync(TestFiles.Docx(), "application/octet-stream", "guide.docx"), StringComparison.Ordinal);
        Assert.Contains("Hello PDF", await TextAsync(TestFiles.Pdf(["Hello PDF"]), "application/octet-stream", "hello.pdf"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image/png", null, "image/png")]
    [InlineData("application/zip", "archive.zip", "application/zip")]
    [InlineData("application/octet-stream", "blob.bin", "application/octet-stream (.bin)")]
    [InlineData("application/octet-stream", null, "application/octet-stream")]
    [InlineData("text/rtf", "letter.rtf", "text/rtf")]
    public async Task An_unsupported_type_is_named_in_the_failure(string fileType, string? fileName, string named)
    {
        var result = await ExtractAsync([0x89, 0x50, 0x4E, 0x47], fileType, fileName);

        Assert.Equal(ExtractedText.Unsupported(named), result);
        Assert.Equal("SOURCE_UNAVAILABLE", result.FailureCode);
        Assert.Contains($"'{named}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Docx)]
    [InlineData("application/pdf")]
    public async Task Corrupt_DOCX_and_PDF_fail_without_throwing(string fileType)
    {
        var garbage = Encoding.UTF8.GetBytes("this is not the file it claims to be");
        var truncated = fileType == Docx ? TestFiles.Docx()[..200] : TestFiles.Pdf(["Hello"])[..60];

        foreach (var bytes in new[] { garbage, truncated, EmptyZip(), [] })
        {
            var result = await ExtractAsync(bytes, fileType);
            Assert.True(result.FailureCode == "TEXT_INDEX_FAILED", $"{bytes.Length} bytes: {result}");
        }
    }

    [Fact]
    public async Task An_empty_text_file_extracts_to_empty_text()
    {
        Assert.Equal(string.Empty, await TextAsync([], "text/plain"));
        Assert.Equal(string.Empty, await TextAsync(Encoding.UTF8.GetBytes("<html><script>x</script></html>"), "text/html"));
    }

    private static byte[] EmptyZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("hello.txt");
        }

        return stream.ToArray();
    }

    private Task<ExtractedText> ExtractAsync(byte[] content, string fileType, string? fileName = null) =>
        _services.GetRequiredService<ITextExtractor>().ExtractAsync(content, fileType, fileName, CancellationToken.None);

    private async Task<string> TextAsync(byte[] content, string fileType, string? fileName = null)
    {
        var result = await ExtractAsync(content, fileType, fileName);
        Assert.True(result.Text is not null, $"{result.FailureCode}: {result.FailureMessage}");
        return result.Text;
    }
}
