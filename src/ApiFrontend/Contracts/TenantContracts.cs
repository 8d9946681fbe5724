using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// A tenant's lifecycle for the developer portal (issue #11 item 7): <c>active</c>, <c>deleting</c> while teardown runs
/// (<see cref="Step"/> names the step under way, <see cref="Progress"/> counts the rows deleted per step), <c>deleted</c>.
/// </summary>
public sealed record TenantStatusResponse(
    string TenantId,
    string PartnerId,
    string Environment,
    string Status,
    string? Step,
    IReadOnlyDictionary<string, long> Progress,
    string? RequestedAt,
    string? CompletedAt)
{
    public static TenantStatusResponse From(TenantStatusView view) => new(
        view.TenantId,
        view.PartnerId.ToString(),
        view.Environment == TenantEnvironment.Live ? "live" : "test",
        view.Status switch
        {
            TenantStatus.Active => "active",
            TenantStatus.Deleting => "deleting",
            _ => "deleted",
        },
        view.Step,
        view.Progress,
        view.RequestedAt is { } requested ? Timestamps.Format(requested) : null,
        view.CompletedAt is { } completed ? Timestamps.Format(completed) : null);
}
