using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Schemas;

namespace Vectros.Grains.Identity;

/// <summary>
/// The rules of a registration's settable fields (API-DELTA-0.40 §8.2), checked on the state a write would leave,
/// so that a PUT giving one field of a pair is judged together with the stored other half. Every failure names
/// the field.
/// </summary>
internal static class NamespaceValidator
{
    /// <summary>The registration <paramref name="current"/> becomes with the non-null fields of <paramref name="definition"/>.</summary>
    public static NamespaceView Apply(NamespaceView current, NamespaceDefinition definition)
    {
        var next = current with
        {
            SpecificityRank = definition.SpecificityRank ?? current.SpecificityRank,
            EntityBacked = definition.EntityBacked ?? current.EntityBacked,
            DefaultSchemaId = definition.DefaultSchemaId ?? current.DefaultSchemaId,
            MembershipRecordType = definition.MembershipRecordType ?? current.MembershipRecordType,
            MembershipTargetField = definition.MembershipTargetField ?? current.MembershipTargetField,
            MembershipContextId = definition.MembershipContextId ?? current.MembershipContextId,
            MembershipLevelField = definition.MembershipLevelField ?? current.MembershipLevelField,
            MembershipLevels = definition.MembershipLevels ?? current.MembershipLevels,
        };
        return Check(next);
    }

    /// <summary>Checks a whole registration; a context-owned one with a membership backing gets its own context filled in.</summary>
    public static NamespaceView Check(NamespaceView view)
    {
        if (view.SpecificityRank is < NamespaceRules.MinRank or > NamespaceRules.MaxRank)
        {
            throw new ValidationException("specificityRank",
                $"specificityRank must be an integer between {NamespaceRules.MinRank} and {NamespaceRules.MaxRank}.");
        }

        Pair(view.MembershipRecordType, "membershipRecordType", view.MembershipTargetField, "membershipTargetField");
        Pair(view.MembershipLevelField, "membershipLevelField", view.MembershipLevels, "membershipLevels");
        if (view.MembershipRecordType is null)
        {
            // The other membership fields only qualify a backing; without one they would be silently inert.
            if (view.MembershipContextId is not null || view.MembershipLevelField is not null)
            {
                var field = view.MembershipContextId is not null ? "membershipContextId" : "membershipLevelField";
                throw new ValidationException(field, $"{field} needs membershipRecordType and membershipTargetField.");
            }

            return view;
        }

        if (!SchemaTypeNames.IsValid(view.MembershipRecordType))
        {
            throw new ValidationException("membershipRecordType",
                $"membershipRecordType must be a record type name: 1-{SchemaTypeNames.MaxLength} letters, digits, '_' or '-', a letter first.");
        }

        FieldPath(view.MembershipTargetField!, "membershipTargetField");
        if (view.MembershipLevelField is not null)
        {
            FieldPath(view.MembershipLevelField, "membershipLevelField");
            Levels(view.MembershipLevels!);
        }

        return view with { MembershipContextId = MembershipContext(view) };
    }

    /// <summary>
    /// Where the grant records live: a tenant-wide registration must name the context; a context-owned one holds
    /// them itself, so a different context is refused.
    /// </summary>
    private static string MembershipContext(NamespaceView view)
    {
        if (view.ContextId is { } owner)
        {
            return view.MembershipContextId is null || view.MembershipContextId == owner
                ? owner
                : throw new ValidationException("membershipContextId",
                    "membershipContextId must be the registration's own context (or omitted): a context-owned namespace keeps its grant records there.");
        }

        if (view.MembershipContextId is null)
        {
            throw new ValidationException("membershipContextId",
                "membershipContextId is required with membershipRecordType on a tenant-wide registration: it names the app context that holds the grant records.");
        }

        return AppContextKeys.IsValidContextId(view.MembershipContextId)
            ? view.MembershipContextId
            : throw new ValidationException("membershipContextId",
                "membershipContextId must be an app context id: 3-31 characters, a lowercase letter first, then lowercase letters, digits and hyphens.");
    }

    private static void Pair(object? first, string firstName, object? second, string secondName)
    {
        if ((first is null) != (second is null))
        {
            var missing = first is null ? firstName : secondName;
            throw new ValidationException(missing, $"{firstName} and {secondName} are given together: {missing} is missing.");
        }
    }

    private static void FieldPath(string path, string field)
    {
        var segments = path.Split('.');
        if (path.Length > 128 || segments.Any(s => !SchemaDefinitionValidator.IsValidFieldId(s)))
        {
            throw new ValidationException(field, $"{field} must be a payload field name (letters, digits and '_', a letter first; nested with '.').");
        }
    }

    private static void Levels(IReadOnlyList<string> levels)
    {
        if (levels.Count is 0 or > NamespaceRules.MaxMembershipLevels)
        {
            throw new ValidationException("membershipLevels", $"membershipLevels must hold 1-{NamespaceRules.MaxMembershipLevels} level names.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < levels.Count; i++)
        {
            if (!OwnershipScopes.IsValidValue(levels[i]))
            {
                throw new ValidationException($"membershipLevels[{i}]",
                    $"membershipLevels[{i}] must be 1-128 characters: a letter or digit first, then letters, digits, '_' or '-'.");
            }

            if (!seen.Add(levels[i]))
            {
                throw new ValidationException($"membershipLevels[{i}]", $"membershipLevels[{i}] repeats a level.");
            }
        }
    }
}
