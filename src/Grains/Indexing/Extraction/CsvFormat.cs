using System.Text;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// CSV (RFC 4180: quoted cells may hold the delimiter, quotes and line breaks) and TSV: one line per row, non-empty
/// cells joined by <c> | </c>. A <c>text/csv</c> file delimited by semicolons (common where the comma is the decimal
/// separator) is recognised from its first line.
/// </summary>
internal sealed class CsvFormat(char? delimiter = null) : TextFormat
{
    public override string Name => delimiter == '\t' ? "TSV" : "CSV";

    protected override string FromText(string text)
    {
        var separator = delimiter ?? Sniff(text);
        var output = new StringBuilder();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                EndCell(row, cell);
            }
            else if (c is '\n' or '\r')
            {
                EndCell(row, cell);
                EndRow(row, output);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                cell.Append(c);
            }
        }

        EndCell(row, cell);
        EndRow(row, output);
        return output.ToString();
    }

    private static void EndCell(List<string> row, StringBuilder cell)
    {
        var value = cell.ToString().ReplaceLineEndings(" ").Trim(); // a row stays one line
        if (value.Length > 0)
        {
            row.Add(value);
        }

        cell.Clear();
    }

    private static void EndRow(List<string> row, StringBuilder output)
    {
        if (row.Count > 0)
        {
            output.AppendJoin(" | ", row).Append('\n');
        }

        row.Clear();
    }

    private static char Sniff(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Count(static c => c == ';') > header.Count(static c => c == ',') ? ';' : ',';
    }
}
