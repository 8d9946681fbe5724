namespace Vectros.Grains.Indexing.Extraction;

/// <summary><c>text/plain</c> (and other <c>text/*</c> types without a reader of their own): the text itself.</summary>
internal sealed class PlainTextFormat : TextFormat
{
    public override string Name => "text";

    protected override string FromText(string text) => text;
}
