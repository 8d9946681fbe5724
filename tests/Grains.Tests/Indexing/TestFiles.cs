using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PdfPageSize = UglyToad.PdfPig.Content.PageSize;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>Real DOCX and PDF files, written by the same libraries a user's tools would produce them with.</summary>
public static class TestFiles
{
    public static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(
                Paragraph("Onboarding guide"),
                new Paragraph(
                    new Run(new Text("Reset your password")),
                    new Run(new TabChar()),
                    new Run(new Text("before the first login.")),
                    new DeletedRun(new DeletedText("This sentence was deleted in review."))),
                new Table(
                    new TableRow(Cell("Plan"), Cell("Seats")),
                    new TableRow(Cell("Enterprise"), Cell("250"))),
                new SdtBlock(new SdtContentBlock(Paragraph("Inside a content control."))),
                Paragraph("Contact support for anything else.")));
            var header = main.AddNewPart<HeaderPart>();
            header.Header = new Header(Paragraph("Page header that repeats"));
        }

        return stream.ToArray();
    }

    /// <summary>Two pages, each with two lines in a standard font.</summary>
    public static byte[] Pdf(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(PdfPageSize.A4);
            var y = 750.0;
            foreach (var line in lines)
            {
                page.AddText(line, 12, new PdfPoint(50, y), font);
                y -= 20;
            }
        }

        return builder.Build();
    }

    private static Paragraph Paragraph(string text) => new(new Run(new Text(text)));

    private static TableCell Cell(string text) => new(Paragraph(text));
}
