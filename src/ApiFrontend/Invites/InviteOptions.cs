using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend.Invites;

/// <summary>Bound from <c>Vectros:Invites</c>: how invitation mails are delivered. The SMTP password is never logged.</summary>
public sealed class InviteOptions : IValidatableObject
{
    public const string Section = "Vectros:Invites";

    /// <summary><c>log</c> (default: records that an invite was issued, never the token) or <c>smtp</c>.</summary>
    [RegularExpression("^(log|smtp)$", ErrorMessage = "Vectros:Invites:Sender must be 'log' or 'smtp'.")]
    public string Sender { get; set; } = "log";

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS (SmtpClient.EnableSsl). On by default; off only for a local relay.</summary>
    public bool SmtpEnableSsl { get; set; } = true;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>The envelope and header From address; <c>fromName</c> of the request is its display name.</summary>
    public string FromAddress { get; set; } = "no-reply@vectros.local";

    [Range(1000, 120000)]
    public int SmtpTimeoutMs { get; set; } = 15000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Sender == "smtp" && string.IsNullOrWhiteSpace(SmtpHost))
        {
            yield return new ValidationResult("Vectros:Invites:SmtpHost is required when Vectros:Invites:Sender is 'smtp'.", [nameof(SmtpHost)]);
        }
    }
}
