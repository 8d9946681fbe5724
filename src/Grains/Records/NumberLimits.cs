using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Records;

/// <summary>
/// The 0.40 number rules (API-DELTA §1 "Numbers", SDK CHANGELOG 0.35/0.36): every number, declared or not, must lie
/// in the signed 64-bit range (whole or fractional), carry at most 38 significant digits, and be zero or at least
/// 1e-130 in magnitude; non-finite values are refused. Checked exactly on the number's text, never through a
/// double. Also gives the canonical text lookups key numbers by (<c>1.50</c>, <c>1.5e0</c> → <c>1.5</c>).
/// </summary>
public static partial class NumberLimits
{
    public const int MaxSignificantDigits = 38;

    /// <summary>The smallest non-zero magnitude is 10^MinExponent.</summary>
    public const int MinExponent = -130;

    private const string MaxPositive = "9223372036854775807";
    private const string MaxNegative = "9223372036854775808";

    /// <summary>Throws a 400 naming the path of the first number in <paramref name="payload"/> that breaks the rules.</summary>
    public static void CheckPayload(JsonObject payload, string path = "payload") => Check(payload, path);

    /// <summary>Throws a 400 naming <paramref name="name"/> when <paramref name="text"/> is a number outside the rules.</summary>
    public static void CheckValue(string text, string name)
    {
        if (Problem(text) is { } problem)
        {
            throw new ValidationException(name, $"{name} {problem}");
        }
    }

    /// <summary>Why the number text breaks the rules (a sentence fragment), or null when it is fine or not a number.</summary>
    public static string? Problem(string text) => Parse(text) is { } n ? Problem(n) : null;

    /// <summary>Canonical decimal text (no exponent, no trailing zeros), or null when the text is not an allowed number.</summary>
    public static string? Canonical(string text)
    {
        if (Parse(text) is not { } n || Problem(n) is not null)
        {
            return null;
        }

        if (n.Digits.Length == 0)
        {
            return "0";
        }

        var exponent = (int)n.Exponent;
        string plain;
        if (exponent >= 0)
        {
            plain = n.Digits + new string('0', exponent);
        }
        else
        {
            var whole = n.Digits.Length + exponent;
            plain = whole > 0 ? n.Digits[..whole] + "." + n.Digits[whole..] : "0." + new string('0', -whole) + n.Digits;
        }

        return n.Negative ? "-" + plain : plain;
    }

    private static void Check(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Check(child, path + "." + name);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var text = value.ToJsonString();
                // A CLR-backed double can be NaN or infinite (JSON text cannot): neither is a number we store.
                var problem = Parse(text) is { } n ? Problem(n) : "must be a finite number.";
                if (problem is not null)
                {
                    throw new ValidationException(path, $"{path} {problem}");
                }

                break;
        }
    }

    private static string? Problem(Parsed n)
    {
        if (n.Digits.Length == 0)
        {
            return null;
        }

        if (n.Digits.Length > MaxSignificantDigits)
        {
            return $"has more than {MaxSignificantDigits} significant digits; send it as a string to keep it exactly.";
        }

        // The exponent of the leading digit: the number lies in [10^lead, 10^(lead+1)).
        var lead = n.Digits.Length - 1 + n.Exponent;
        if (lead < MinExponent)
        {
            return "is too small in magnitude: a non-zero number must be at least 1e-130.";
        }

        var outOfRange = lead > 18;
        if (lead == 18)
        {
            var limit = n.Negative ? MaxNegative : MaxPositive;
            var whole = n.Exponent >= 0 ? n.Digits + new string('0', (int)n.Exponent) : n.Digits[..(int)(n.Digits.Length + n.Exponent)];

            // A fractional part (digits carry no trailing zeros) pushes the magnitude past an equal whole part.
            var cmp = string.CompareOrdinal(whole, limit);
            outOfRange = n.Exponent >= 0 ? cmp > 0 : cmp >= 0;
        }

        return outOfRange
            ? "is outside the signed 64-bit range (-9223372036854775808 to 9223372036854775807); send large whole numbers as strings."
            : null;
    }

    /// <summary>
    /// Sign, significant digits without leading or trailing zeros (empty for zero) and the power of ten they are
    /// scaled by. Accepts JSON numbers and the looser forms query strings carry (<c>+5</c>, <c>.5</c>, <c>5.</c>).
    /// </summary>
    private static Parsed? Parse(string text)
    {
        var match = NumberShape().Match(text.Trim());
        if (!match.Success || (match.Groups[2].Length == 0 && match.Groups[3].Length == 0))
        {
            return null;
        }

        var whole = match.Groups[2].Value;
        var fraction = match.Groups[3].Value;
        long exponent = 0;
        if (match.Groups[4].Success)
        {
            // Beyond ±10^12 the number is far outside every limit either way; clamp so the arithmetic stays exact.
            var raw = match.Groups[4].Value;
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 1_000_000_000_000)
            {
                exponent = raw.StartsWith('-') ? -1_000_000_000_000 : 1_000_000_000_000;
            }
        }

        var digits = (whole + fraction).TrimStart('0');
        exponent -= fraction.Length;
        var trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        return new Parsed(match.Groups[1].Value == "-", trimmed, trimmed.Length == 0 ? 0 : exponent);
    }

    private readonly record struct Parsed(bool Negative, string Digits, long Exponent);

    [GeneratedRegex(@"^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberShape();
}
