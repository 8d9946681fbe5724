using System.Text.Json.Nodes;

namespace Vectros.Grains.Indexing;

/// <summary>
/// What every chunk of one source carries besides its text: the source's identity and the version indexed, and the
/// ownership, placement and filter values search restricts on, so a search never joins the source tables.
/// </summary>
internal sealed record ChunkSource
{
    public const string Record = "record";
    public const string Document = "document";

    /// <summary><see cref="Record"/> or <see cref="Document"/> (chunks.source_kind).</summary>
    public required string Kind { get; init; }

    public required Guid Id { get; init; }

    /// <summary>The source row's version this chunk set was built from (chunks.source_version).</summary>
    public required long Version { get; init; }

    /// <summary>HYBRID, SEMANTIC or TEXT.</summary>
    public required string IndexMode { get; init; }

    public string? TypeName { get; init; }

    /// <summary>A document's title (ranked in the full-text lane); null for records.</summary>
    public string? Title { get; init; }

    public string? ExternalId { get; init; }

    public Guid? FolderId { get; init; }

    /// <summary>The folder and its ancestors, root first.</summary>
    public IReadOnlyList<Guid> FolderPath { get; init; } = [];

    public Guid? UserId { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public JsonObject Filter { get; init; } = [];

    /// <summary>The payload as supplied, sensitive fields removed (a search result's <c>metadata</c>).</summary>
    public JsonObject Metadata { get; init; } = [];

    public required DateTimeOffset Created { get; init; }

    public bool Embeds => IndexMode != "TEXT";
}
