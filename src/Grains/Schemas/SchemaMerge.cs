using Vectros.Grains.Abstractions.Access;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>How a submitted shape is folded into a stored definition, for upsert and for PUT.</summary>
public static class SchemaMerge
{
    /// <summary>
    /// <c>POST ?upsert=true</c> (spec L4203): additive. <paramref name="submitted"/> is the request as given (not
    /// normalised), so an omitted optional property is still null here. Submitted fields and lookups replace the stored ones of the
    /// same name and new ones are appended; nothing is removed (use PUT for that). Render hints, capabilities and
    /// surfaces are merged the same way. Top-level scalars take the submitted value; optional ones that were
    /// omitted keep the stored value. Owners stay (spec §1.8: immutable keys and owners stay on upsert).
    /// </summary>
    /// <param name="submittedFirst">
    /// Lists the submitted fields and lookups first, in request order, then the stored-only ones: the same
    /// definition, ordered so that validation and lock errors index the request's own arrays. The stored order
    /// (false) is what is written, so restating a schema never reorders it.
    /// </param>
    public static SchemaDefinition Upsert(SchemaDefinition stored, SchemaDefinition submitted, bool submittedFirst = false)
    {
        var fields = submittedFirst
            ? submitted.Fields.Concat(stored.Fields.Where(f => !submitted.Fields.Any(s => s?.FieldId == f.FieldId))).ToList()
            : stored.Fields
                .Select(f => submitted.Fields.FirstOrDefault(s => s?.FieldId == f.FieldId) ?? f)
                .Concat(submitted.Fields.Where(s => s is null || !stored.Fields.Any(f => f.FieldId == s.FieldId)))
                .ToList();
        var lookups = submittedFirst
            ? submitted.LookupFields.Concat(stored.LookupFields.Where(l => !submitted.LookupFields.Any(s => s?.Key == l.Key))).ToList()
            : stored.LookupFields
                .Select(l => submitted.LookupFields.FirstOrDefault(s => s?.Key == l.Key) ?? l)
                .Concat(submitted.LookupFields.Where(s => s is null || !stored.LookupFields.Any(l => l.Key == s.Key)))
                .ToList();

        JsonObject? hints = stored.RenderHints?.DeepClone().AsObject();
        if (submitted.RenderHints is { } submittedHints)
        {
            hints ??= [];
            foreach (var (key, value) in submittedHints)
            {
                hints[key] = value?.DeepClone();
            }
        }

        var capabilities = new Dictionary<string, bool>(stored.Capabilities, StringComparer.Ordinal);
        foreach (var (key, value) in submitted.Capabilities)
        {
            capabilities[key] = value;
        }

        return stored with
        {
            DisplayName = submitted.DisplayName,
            Description = submitted.Description ?? stored.Description,
            Fields = fields,
            LookupFields = lookups,
            RenderHints = hints,
            Capabilities = capabilities,
            IndexMode = submitted.IndexMode ?? stored.IndexMode,
            StorageProfile = submitted.StorageProfile ?? stored.StorageProfile,
            AllowedSurfaces = [.. stored.AllowedSurfaces.Union(submitted.AllowedSurfaces, StringComparer.Ordinal)],
            Active = submitted.Active,
        };
    }

    /// <summary>PUT (spec L4307): omitted top-level properties are kept; a collection that is present replaces the stored one whole.</summary>
    public static SchemaDefinition Put(SchemaDefinition stored, SchemaPatch patch) => stored with
    {
        DisplayName = patch.DisplayName ?? stored.DisplayName,
        Description = patch.Description ?? stored.Description,
        Fields = patch.Fields ?? stored.Fields,
        LookupFields = patch.LookupFields ?? stored.LookupFields,
        RenderHints = patch.RenderHints is { } hints ? hints.DeepClone().AsObject() : KeptHints(stored.RenderHints, patch.Fields),
        Capabilities = patch.Capabilities ?? stored.Capabilities,
        IndexMode = patch.IndexMode ?? stored.IndexMode,
        StorageProfile = patch.StorageProfile ?? stored.StorageProfile,
        AllowedSurfaces = patch.AllowedSurfaces ?? stored.AllowedSurfaces,
        Active = patch.Active ?? stored.Active,
        UserId = patch.UserId ?? stored.UserId,
        Scopes = OwnershipScopes.Resolve(stored.Scopes ?? [], patch.Scopes, patch.OrgId, patch.ClientId),
    };

    /// <summary>
    /// Stored hints when a PUT leaves them out. Hints only drive UIs, so those of fields the PUT removed are
    /// dropped rather than making the client resend every hint to remove a field. (Lookups are not pruned:
    /// removing one deletes its index rows, which should be asked for explicitly.)
    /// </summary>
    private static JsonObject? KeptHints(JsonObject? stored, IReadOnlyList<FieldDefinition>? fields)
    {
        if (stored is null)
        {
            return null;
        }

        var kept = new JsonObject();
        foreach (var (fieldId, hint) in stored)
        {
            if (fields is null || fields.Any(f => f?.FieldId == fieldId))
            {
                kept[fieldId] = hint?.DeepClone();
            }
        }

        return kept;
    }
}
