using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vectros.Silo.Storage;

/// <summary>One embedded <c>Storage/Migrations/NNNN_name.sql</c> resource of a module, with its checksum.</summary>
public sealed record MigrationScript(string Module, int Version, string Name, string Sql)
{
    private const string Folder = ".Storage.Migrations.";

    /// <summary>
    /// SHA-256 of the text with line endings normalised, so a checkout that converts them (Windows) does not look
    /// like an edit; any other change to an applied file does.
    /// </summary>
    public string Checksum { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>How operators see the script in messages: <c>module/NNNN_name.sql</c>.</summary>
    public string FileName => $"{Module}/{Name}.sql";

    /// <summary>The module's scripts ordered by version; throws on a badly named or duplicate script.</summary>
    public static List<MigrationScript> Load(MigrationModule module)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in module.Assembly.GetManifestResourceNames())
        {
            var folderAt = resource.LastIndexOf(Folder, StringComparison.Ordinal);
            if (folderAt < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[(folderAt + Folder.Length)..^".sql".Length];
            var digits = name.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException(
                    $"Migration '{resource}' of module '{module.Name}' must be named NNNN_name.sql (leading version number).");
            }

            using var stream = module.Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(module.Name, version, name, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(static s => s.Version).FirstOrDefault(static g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Module '{module.Name}' has several migrations numbered {duplicate.Key}: {string.Join(", ", duplicate.Select(static s => s.Name))}.");
        }

        return [.. scripts.OrderBy(static s => s.Version)];
    }
}
