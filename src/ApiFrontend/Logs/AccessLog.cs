using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.Logs;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Logs;

/// <summary>
/// Emits read-access rows (spec getAccessLog) for what a read returned. Handlers call it after the grain answered,
/// with the views it answered: each view carries its <see cref="ReadDisclosure"/> (set by the grain that masked or
/// revealed it), so only reads that returned a sensitive field, or of a type that opted in with
/// <c>capabilities.readAccessLog</c>, are logged. Metadata only, through the same bounded buffer as the call log.
/// </summary>
public interface IAccessLog
{
    /// <param name="action"><c>read</c>, <c>list</c>, <c>lookup</c>, <c>search</c> or <c>rag</c>.</param>
    void RecordReads(HttpContext context, string action, IEnumerable<RecordView> views);

    /// <summary>As for records; the spec's <c>resourceType</c> of a document read is <c>document</c>.</summary>
    void RecordReads(HttpContext context, string action, IEnumerable<DocumentView> views);

    /// <summary>As for records; a user read is <c>resourceType: user</c> and its subject is the user.</summary>
    void RecordReads(HttpContext context, string action, IEnumerable<UserView> views);
}

/// <inheritdoc />
public sealed class AccessLog(ApiLogBuffer buffer, TimeProvider time) : IAccessLog
{
    public const string Read = "read";
    public const string List = "list";
    public const string Lookup = "lookup";

    public const string DocumentType = "document";
    public const string UserType = "user";

    public void RecordReads(HttpContext context, string action, IEnumerable<RecordView> views)
    {
        foreach (var view in views)
        {
            Add(context, action, view.TypeName, view.Id, view.UserId, view.Scopes, view.Disclosure);
        }
    }

    public void RecordReads(HttpContext context, string action, IEnumerable<DocumentView> views)
    {
        foreach (var view in views)
        {
            Add(context, action, DocumentType, view.Id, view.UserId, view.Scopes, view.Disclosure);
        }
    }

    public void RecordReads(HttpContext context, string action, IEnumerable<UserView> views)
    {
        foreach (var view in views)
        {
            Add(context, action, UserType, view.Id, view.Id, [], view.Disclosure);
        }
    }

    private void Add(
        HttpContext context, string action, string resourceType, Guid id, Guid? userId, IReadOnlyList<string> scopes, ReadDisclosure? disclosure)
    {
        if (disclosure is null)
        {
            return;
        }

        var principal = context.GetPrincipal();
        var now = time.GetUtcNow();
        var subjects = new List<string>(3);
        if (userId is { } user)
        {
            subjects.Add("user:" + user.ToString("D"));
        }

        subjects.AddRange(scopes);
        buffer.Add(new ReadAccessEntry
        {
            Id = Guid.CreateVersion7(now),
            TenantId = principal.TenantId,
            ContextId = principal.ContextId,
            CreatedAt = now,
            CallerKeyId = principal.CredentialId,
            Action = action,
            ResourceType = resourceType,
            ResourceId = id.ToString("D"),
            Subjects = subjects,
            RevealedSensitive = disclosure.RevealedSensitive,
            SensitiveFields = disclosure.SensitiveFields,
        });
    }
}
