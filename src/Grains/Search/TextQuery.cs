using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>The SQL expression of a search's tsquery (<c>vectros_text_query</c>, migration 0009), with its inputs bound.</summary>
internal static class TextQuery
{
    public static string Sql(ChunkSql sql, TextMode mode, string text, int slop) =>
        $"vectros_text_query({sql.Bind(Text(Name(mode)))}, {sql.Bind(Text(text))}, {sql.Bind(Int(slop))})";

    public static string Name(TextMode mode) => mode switch
    {
        TextMode.Or => "OR",
        TextMode.And => "AND",
        TextMode.Phrase => "PHRASE",
        _ => "COMPLEX",
    };
}
