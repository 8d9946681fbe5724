using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Blobs;

/// <summary>Bound from <c>Vectros:Blobs</c>: where uploaded files live.</summary>
public sealed class BlobOptions : IValidatableObject
{
    public const string Section = "Vectros:Blobs";

    public const string Postgres = "Postgres";
    public const string Disk = "Disk";

    /// <summary><c>Postgres</c> (default: the <c>blobs</c> table) or <c>Disk</c> (files under <see cref="Path"/>).</summary>
    public string Provider { get; set; } = Postgres;

    /// <summary>The directory of the disk store (created when missing). Required with <c>Provider = Disk</c>.</summary>
    public string? Path { get; set; }

    public bool IsDisk => string.Equals(Provider, Disk, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsDisk && !string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Vectros:Blobs:Provider must be '{Postgres}' or '{Disk}'.", [nameof(Provider)]);
        }

        if (IsDisk && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult("Vectros:Blobs:Path is required when Vectros:Blobs:Provider is 'Disk': the directory files are kept in.", [nameof(Path)]);
        }
        else if (IsDisk && Path!.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult("Vectros:Blobs:Path is not a valid directory path.", [nameof(Path)]);
        }
    }
}
