using System.Text;

namespace Vectros.Grains.Search;

/// <summary>
/// A result's <c>snippet</c>: the headline's text HTML-escaped, with the matched terms in <c>&lt;b&gt;…&lt;/b&gt;</c>, so
/// a results page can show it as HTML without letting indexed content inject markup.
/// </summary>
internal static class Snippets
{
    /// <summary>Without a headline (no query terms, or a vector-only hit): the chunk's first words.</summary>
    private const int FallbackWords = 35;

    public static string Html(string? headline, string chunkText)
    {
        var text = headline ?? FirstWords(chunkText);
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                PageStatement.StartMark => html.Append("<b>"),
                PageStatement.StopMark => html.Append("</b>"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '&' => html.Append("&amp;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }

        return html.ToString();
    }

    private static string FirstWords(string text)
    {
        var words = text.Split((char[]?)null, FallbackWords + 1, StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= FallbackWords ? string.Join(' ', words) : string.Join(' ', words[..FallbackWords]) + " …";
    }
}
