namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The one authorisation check every endpoint goes through. Required scopes use the spec's grammar
/// <c>resource:op[:qualifier]</c> (e.g. <c>app-contexts:c</c>, <c>records:r:intake_form</c>); held actions use
/// the token/profile grammar <c>resource:ops[:qualifier]</c> (ops = letters of crud(s), <c>crud</c>, or the words
/// read/write/delete) plus the catalog words <c>*</c>, <c>read</c>, <c>write</c>, <c>delete</c>.
/// Root keys hold every action. Reveal (<c>s</c>) is never implied: it must be granted explicitly (DESIGN §5a).
/// </summary>
public static class ScopeGrammar
{
    /// <summary>Whether a credential holding <paramref name="allowedActions"/> (or any root key) may do <paramref name="requiredScope"/>.</summary>
    public static bool IsAllowed(bool isRoot, IReadOnlyList<string> allowedActions, string requiredScope)
    {
        var required = Parse(requiredScope);
        if (isRoot)
        {
            return required.Ops != "s";
        }

        foreach (var held in allowedActions)
        {
            if (Grants(held, required))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Grants(string held, Scope required)
    {
        switch (held)
        {
            case "*":
                return required.Ops != "s";
            case "read":
                return required.Ops == "r";
            case "write":
                return required.Ops is "c" or "u" or "w";
            case "delete":
                return required.Ops == "d";
        }

        var h = Parse(held);
        if (!string.Equals(h.Resource, required.Resource, StringComparison.Ordinal))
        {
            return false;
        }

        if (h.Qualifier is not null && !string.Equals(h.Qualifier, required.Qualifier, StringComparison.Ordinal))
        {
            return false;
        }

        var ops = h.Ops switch
        {
            "read" => "r",
            "write" => "cuw",
            "delete" => "d",
            "crud" => "crudw",
            // 0.31 "w" (schemas:w) is the 0.40 c, u and d (API-DELTA §5, §15 item 2): a held w grants all three.
            var o when o.Contains('w', StringComparison.Ordinal) => o + "cud",
            var o => o.Contains('c', StringComparison.Ordinal) || o.Contains('u', StringComparison.Ordinal) ? o + "w" : o,
        };
        return required.Ops.Length == 1 && ops.Contains(required.Ops[0], StringComparison.Ordinal);
    }

    private static Scope Parse(string scope)
    {
        var parts = scope.Split(':', 3);
        return new Scope(parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : null);
    }

    private readonly record struct Scope(string Resource, string Ops, string? Qualifier);
}
