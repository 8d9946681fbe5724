using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Vectros.Grains.Abstractions.Folders;

/// <summary>Limits and the slug rules of folders, shared by the front end (validation) and the grains.</summary>
public static partial class FolderRules
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxSlugLength = 100;

    /// <summary>History entity kind of folders.</summary>
    public const string EntityKind = "folder";

    /// <summary>The context root: the only folder without a parent, so the (parent, slug) key makes it unique per context.</summary>
    public const string RootSlug = "root";
    public const string RootName = "Root";

    // A derived slug that had to be shortened ends with '-' and this many hex digits of a hash of the whole slug,
    // so two long names that share a prefix still get different slugs (and do not collapse into one folder).
    private const int HashSuffixLength = 8;

    /// <summary>An explicit slug: 1–<see cref="MaxSlugLength"/> lowercase letters, digits and hyphens (spec L7896).</summary>
    public static bool IsValidSlug(string slug) => slug.Length is > 0 and <= MaxSlugLength && SlugPattern().IsMatch(slug);

    /// <summary>
    /// The slug of a name: lowercased, every run of characters outside [a-z0-9] turned into one hyphen, hyphens
    /// trimmed from both ends. Names without a single ASCII letter or digit (e.g. 日本) get a stable hash-based
    /// slug, and over-long slugs keep a hash suffix, so the same name always maps to the same slug.
    /// </summary>
    public static string DeriveSlug(string name)
    {
        var slug = new StringBuilder(name.Length);
        var pendingHyphen = false;
        foreach (var ch in name)
        {
            // ASCII only: Unicode case mapping would fold lookalikes (the Kelvin sign K) into [a-z].
            var c = char.IsAsciiLetterUpper(ch) ? (char)(ch | 0x20) : ch;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingHyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }

                pendingHyphen = false;
                slug.Append(c);
            }
            else
            {
                pendingHyphen = true;
            }
        }

        if (slug.Length == 0)
        {
            return "folder-" + Hash(name)[..12];
        }

        var result = slug.ToString();
        return result.Length <= MaxSlugLength
            ? result
            : result[..(MaxSlugLength - HashSuffixLength - 1)].TrimEnd('-') + "-" + Hash(result)[..HashSuffixLength];
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
