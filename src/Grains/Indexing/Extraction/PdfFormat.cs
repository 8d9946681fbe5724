using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>A PDF's text page by page, each page's text in content order (PdfPig's ContentOrderTextExtractor).</summary>
internal sealed class PdfFormat : IFormatExtractor
{
    public string Name => "PDF";

    public ExtractedText Extract(ReadOnlyMemory<byte> content, ContentType type)
    {
        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = true });
            var output = new StringBuilder();
            foreach (var page in document.GetPages())
            {
                output.Append(ContentOrderTextExtractor.GetText(page)).Append("\n\n");
            }

            return ExtractedText.Of(output.ToString());
        }
        catch (PdfDocumentEncryptedException)
        {
            return ExtractedText.Failed("The PDF file is encrypted: upload it without a password.");
        }
    }
}
