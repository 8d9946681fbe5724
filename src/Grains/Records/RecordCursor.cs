using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Records;

/// <summary>
/// Opaque page cursors: the position of the last row returned (its sort value and record id), base64url.
/// A cursor only positions a scan that is already bound to the caller's tenant and context.
/// </summary>
internal static class RecordCursor
{
    private const char Separator = '\n';

    public static string Encode(string sortValue, Guid recordId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sortValue + Separator + recordId.ToString()));

    public static string Encode(Guid recordId) => Encode("", recordId);

    public static string Encode(DateTimeOffset at, Guid recordId) =>
        Encode(((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture), recordId);

    public static (string SortValue, Guid RecordId) Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var cut = text.LastIndexOf(Separator);
            if (cut >= 0 && Guid.TryParse(text.AsSpan(cut + 1), out var id))
            {
                return (text[..cut], id);
            }
        }
        catch (FormatException)
        {
        }

        throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
    }

    public static Guid DecodeId(string cursor) => Decode(cursor).RecordId;

    public static DateTimeOffset DecodeTime(string sortValue) =>
        long.TryParse(sortValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            ? new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero)
            : throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
}
