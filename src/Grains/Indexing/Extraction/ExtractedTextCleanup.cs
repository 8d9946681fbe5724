using System.Text;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// The last step of every extraction: text that PostgreSQL will store and the chunker can split. NUL and other
/// control characters go (a <c>text</c> column refuses NUL; PDFs and JSON escapes can carry them), unpaired
/// surrogates become U+FFFD (they are not valid UTF-8), lines lose trailing spaces, and blank-line runs shrink to one.
/// </summary>
internal static class ExtractedTextCleanup
{
    public static string Clean(string text)
    {
        var output = new StringBuilder(text.Length);
        var blankLines = 0;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = Sanitize(rawLine).TrimEnd();
            if (line.Length == 0)
            {
                blankLines++;
                continue;
            }

            if (output.Length > 0)
            {
                output.Append(blankLines > 0 ? "\n\n" : "\n");
            }

            output.Append(line);
            blankLines = 0;
        }

        return output.ToString();
    }

    private static string Sanitize(string line)
    {
        var output = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                output.Append(c).Append(line[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                output.Append('\uFFFD');
            }
            else if (c == '\t' || !char.IsControl(c))
            {
                output.Append(c);
            }
            else
            {
                output.Append(' ');
            }
        }

        return output.ToString();
    }
}
