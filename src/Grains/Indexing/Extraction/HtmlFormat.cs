using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// HTML's visible text: no scripts, styles, head or other markup that is not read; block elements and
/// <c>&lt;br&gt;</c> end lines, table cells are separated by <c> | </c>, whitespace collapses as a browser shows it
/// (except inside <c>&lt;pre&gt;</c>).
/// </summary>
internal sealed class HtmlFormat : TextFormat
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
        "select", "button",
    };

    // Blocks that read as paragraphs get a blank line around them (the chunker prefers to split there); other
    // blocks (list items, rows, divs) just start a new line.
    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "article", "aside", "blockquote", "dl", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main",
        "nav", "ol", "p", "pre", "section", "table", "ul",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "body", "caption", "dd", "details", "dialog", "div", "dt", "fieldset", "figcaption", "form", "hgroup",
        "hr", "li", "summary", "tbody", "tfoot", "thead", "tr",
    };

    public override string Name => "HTML";

    protected override string FromText(string text) => VisibleText(text);

    /// <summary>The visible text of an HTML document or fragment (also used for HTML inside Markdown).</summary>
    internal static string VisibleText(string text)
    {
        var document = new HtmlParser().ParseDocument(text);
        var output = new StringBuilder();
        Append(document.Body ?? document.DocumentElement, output, preformatted: false);
        return output.ToString();
    }

    private static void Append(INode node, StringBuilder output, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText textNode:
                    AppendText(textNode.Data, output, preformatted);
                    break;
                case IElement element when Skipped.Contains(element.LocalName):
                    break;
                case IElement element when element.LocalName is "br":
                    output.Append('\n');
                    break;
                case IElement element when element.LocalName is "td" or "th":
                    if (element.PreviousElementSibling is not null)
                    {
                        output.Append(" | ");
                    }

                    Append(element, output, preformatted);
                    break;
                case IElement element when Paragraphs.Contains(element.LocalName) || Lines.Contains(element.LocalName):
                    var breaks = Paragraphs.Contains(element.LocalName) ? 2 : 1;
                    Break(output, breaks);
                    Append(element, output, preformatted || element.LocalName is "pre");
                    Break(output, breaks);
                    break;
                case IElement element:
                    Append(element, output, preformatted);
                    break;
            }
        }
    }

    /// <summary>Ends the current line, and leaves a blank line after it when <paramref name="newlines"/> is 2.</summary>
    private static void Break(StringBuilder output, int newlines)
    {
        var trailing = 0;
        while (trailing < output.Length && output[output.Length - 1 - trailing] == '\n')
        {
            trailing++;
        }

        if (output.Length > trailing)
        {
            output.Append('\n', Math.Max(0, newlines - trailing));
        }
    }

    private static void AppendText(string data, StringBuilder output, bool preformatted)
    {
        if (preformatted)
        {
            output.Append(data);
            return;
        }

        // Runs of whitespace read as one space; a space at the start of a line would only be trimmed later.
        foreach (var c in data)
        {
            if (!char.IsWhiteSpace(c))
            {
                output.Append(c);
            }
            else if (output.Length > 0 && output[^1] is not (' ' or '\n'))
            {
                output.Append(' ');
            }
        }
    }
}
