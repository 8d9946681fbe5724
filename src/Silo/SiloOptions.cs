using System.ComponentModel.DataAnnotations;

namespace Vectros.Silo;

/// <summary>Where the silo's PostgreSQL lives: <c>ConnectionStrings:Vectros</c>.</summary>
public sealed class SiloOptions
{
    [Required(ErrorMessage = "ConnectionStrings:Vectros must be set (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=vectros).")]
    public string? ConnectionString { get; set; }
}
