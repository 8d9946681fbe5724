using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// Markdown as the words a reader sees: no markup, link targets or image URLs (an image keeps its alt text), front
/// matter dropped, embedded HTML reduced to its visible text. Blocks are separated by a blank line (where the chunker
/// prefers to split), list items and table rows get a line each, table cells are joined by <c> | </c>.
/// </summary>
internal sealed class MarkdownFormat : TextFormat
{
    // Tables, task lists, footnotes and the like parse as what they are instead of leaking their syntax.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseYamlFrontMatter().Build();

    public override string Name => "Markdown";

    protected override string FromText(string text)
    {
        var output = new StringBuilder();
        AppendBlocks(Markdown.Parse(text, Pipeline), output);
        return output.ToString();
    }

    private static void AppendBlocks(ContainerBlock container, StringBuilder output)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case YamlFrontMatterBlock or LinkReferenceDefinitionGroup or ThematicBreakBlock:
                    break;
                case Table table:
                    foreach (var row in table.OfType<TableRow>())
                    {
                        output.AppendJoin(" | ", row.OfType<TableCell>().Select(CellText).Where(static t => t.Length > 0)).Append('\n');
                    }

                    output.Append('\n');
                    break;
                case ListBlock list:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var itemText = new StringBuilder();
                        AppendBlocks(item, itemText);
                        output.Append(itemText.ToString().Trim()).Append('\n');
                    }

                    output.Append('\n');
                    break;
                case HtmlBlock html:
                    output.Append(HtmlFormat.VisibleText(html.Lines.ToString())).Append("\n\n");
                    break;
                case CodeBlock code:
                    output.Append(code.Lines.ToString()).Append("\n\n");
                    break;
                case LeafBlock leaf:
                    AppendInlines(leaf.Inline, output);
                    output.Append("\n\n");
                    break;
                case ContainerBlock nested:
                    AppendBlocks(nested, output);
                    break;
            }
        }
    }

    private static string CellText(TableCell cell)
    {
        var text = new StringBuilder();
        AppendBlocks(cell, text);
        return text.ToString().ReplaceLineEndings(" ").Trim();
    }

    private static void AppendInlines(ContainerInline? container, StringBuilder output)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    output.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    output.Append(code.Content);
                    break;
                case HtmlEntityInline entity:
                    output.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline lineBreak:
                    output.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case AutolinkInline autolink:
                    output.Append(autolink.Url);
                    break;
                case ContainerInline nested:
                    // Emphasis, links (their text, not their target), images (their alt text).
                    AppendInlines(nested, output);
                    break;
            }
        }
    }
}
