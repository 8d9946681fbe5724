using System.Text;
using System.Text.Unicode;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// A text-based format: the bytes are decoded first (UTF-8 unless the type names another charset .NET knows, a
/// byte-order mark stripped), refusing bytes that are not valid in that encoding rather than indexing mojibake.
/// </summary>
internal abstract class TextFormat : IFormatExtractor
{
    public abstract string Name { get; }

    public ExtractedText Extract(ReadOnlyMemory<byte> content, ContentType type) =>
        Decode(content.Span, type, out var text) is { } failure ? failure : ExtractedText.Of(FromText(text));

    /// <summary>The indexable text of a decoded file.</summary>
    protected abstract string FromText(string text);

    internal static ExtractedText? Decode(ReadOnlySpan<byte> bytes, ContentType type, out string text)
    {
        text = string.Empty;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // A UTF-16 byte-order mark is unambiguous, whatever the declared charset says.
            return DecodeStrict(bytes, bytes[0] == 0xFF ? new UnicodeEncoding(false, true, true) : new UnicodeEncoding(true, true, true), type, out text);
        }

        if (type.Charset is { } charset && !IsUtf8(charset))
        {
            Encoding encoding;
            try
            {
                encoding = Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            }
            catch (ArgumentException)
            {
                return ExtractedText.Failed($"The {type.MediaType} file declares charset '{charset}', which Vectros cannot decode: send UTF-8.");
            }

            return DecodeStrict(bytes, encoding, type, out text);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            return ExtractedText.Failed($"The {type.MediaType} file is not valid UTF-8: invalid byte sequence at byte {read}.");
        }

        text = new string(chars, 0, written);
        return null;
    }

    private static ExtractedText? DecodeStrict(ReadOnlySpan<byte> bytes, Encoding encoding, ContentType type, out string text)
    {
        text = string.Empty;
        try
        {
            text = encoding.GetString(bytes).TrimStart('\uFEFF');
            return null;
        }
        catch (DecoderFallbackException e)
        {
            return ExtractedText.Failed($"The {type.MediaType} file is not valid {encoding.WebName}: invalid byte sequence at byte {e.Index}.");
        }
    }

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
