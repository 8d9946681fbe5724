using System.Text.Json;

namespace Vectros.Grains.Exports;

/// <summary>
/// What a job exports, resolved when it is accepted and stored with it (<c>export_jobs.request</c>), so a run and
/// every rerun after a crash export the same thing. For a subject, <see cref="SubjectUserId"/> (a user) or
/// <see cref="SubjectScope"/> (<c>ns:value</c>) is what owned rows carry.
/// </summary>
public sealed record ExportPlan(
    IReadOnlyList<string> Contexts,
    string? SubjectType,
    string? SubjectId,
    Guid? SubjectUserId,
    string? SubjectScope,
    string? SubjectNamespace,
    bool IncludeAuditHistory)
{
    public bool IsSubject => SubjectType is not null;

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static ExportPlan FromJson(string json) =>
        JsonSerializer.Deserialize<ExportPlan>(json, JsonSerializerOptions.Web) ?? throw new InvalidOperationException("Empty export plan.");
}
