using System.Runtime.InteropServices;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// A Word document's body in reading order: one line per paragraph, one line per table row with its cells joined by
/// <c> | </c>, content controls read through. Deleted revisions, field codes, headers and footers (page numbers and
/// running titles that would repeat in every chunk) are left out.
/// </summary>
internal sealed class DocxFormat : IFormatExtractor
{
    // A zip bomb could expand a small upload into gigabytes of XML; no real document's body comes near this.
    private static readonly OpenSettings Settings = new() { AutoSave = false, MaxCharactersInPart = 64L * 1024 * 1024 };

    public string Name => "DOCX";

    public ExtractedText Extract(ReadOnlyMemory<byte> content, ContentType type)
    {
        var bytes = MemoryMarshal.TryGetArray(content, out var segment) ? segment : new ArraySegment<byte>(content.ToArray());
        using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
        using var document = WordprocessingDocument.Open(stream, false, Settings);
        var body = document.MainDocumentPart?.Document?.Body;
        if (body is null)
        {
            return ExtractedText.Failed("The DOCX file has no document body.");
        }

        var output = new StringBuilder();
        AppendBlocks(body, output);
        return ExtractedText.Of(output.ToString());
    }

    private static void AppendBlocks(OpenXmlElement container, StringBuilder output)
    {
        foreach (var child in container.ChildElements)
        {
            switch (child)
            {
                case Paragraph paragraph:
                    AppendRuns(paragraph, output);
                    output.Append('\n');
                    break;
                case Table table:
                    foreach (var row in table.Elements<TableRow>())
                    {
                        output.AppendJoin(" | ", row.Elements<TableCell>().Select(CellText).Where(static t => t.Length > 0)).Append('\n');
                    }

                    break;
                default:
                    // Content controls (w:sdt), custom XML and the like wrap paragraphs and tables.
                    AppendBlocks(child, output);
                    break;
            }
        }
    }

    private static string CellText(TableCell cell)
    {
        var text = new StringBuilder();
        foreach (var paragraph in cell.Descendants<Paragraph>())
        {
            AppendRuns(paragraph, text);
            text.Append(' ');
        }

        return text.ToString().Trim();
    }

    private static void AppendRuns(Paragraph paragraph, StringBuilder output)
    {
        foreach (var element in paragraph.Descendants())
        {
            switch (element)
            {
                case Text text:
                    output.Append(text.Text);
                    break;
                case TabChar:
                    output.Append('\t');
                    break;
                case Break or CarriageReturn:
                    output.Append('\n');
                    break;
            }
        }
    }
}
