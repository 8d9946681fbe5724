using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Folders;

/// <summary>
/// The folders of one context: its protected root, path-idempotent creation and listing. A stateless worker
/// keyed <c>tenant#context</c> (<see cref="CallerContext.ContextKey"/>); every write goes to the folder's own
/// <see cref="IFolderGrain"/>.
/// </summary>
[Alias("vectros.IFolderDirectoryGrain")]
public interface IFolderDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The context's root folder, created on first use (idempotent and safe under concurrent callers).</summary>
    Task<FolderView> EnsureRootAsync(CallerContext caller);

    /// <summary>Creates a folder, or returns (with upsert: updates) the one already at the same slug + parent.</summary>
    Task<FolderCreateResult> CreateAsync(CallerContext caller, CreateFolderCommand command);

    /// <summary>A page of folders (the root included), filtered as <c>GET /v1/folders</c> allows.</summary>
    Task<FolderPage> ListAsync(CallerContext caller, FolderListQuery query);
}
