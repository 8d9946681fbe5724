using System.Text.Json;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The one scope grammar (API-DELTA §8.4): authoring rules, legacy aliases, data-scope evaluation, the delegation cap.</summary>
public sealed class ScopeGrammarTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> NoMembership = [];

    private static ScopeClause Clause(string actions, string dataScope = "{}", params string[] capabilities)
    {
        using var doc = JsonDocument.Parse($$"""{"allowed_actions": {{actions}}, "data_scope": {{dataScope}}}""");
        var clause = ScopeClauseJson.ReadClause(doc.RootElement, "c");
        return clause with { GrantedCapabilities = capabilities };
    }

    private static ScopeClause Valid(string actions, string dataScope = "{}", IReadOnlyDictionary<string, IReadOnlyList<string>>? membership = null) =>
        ScopeGrammar.ValidateClause(Clause(actions, dataScope), membership ?? NoMembership);

    [Theory]
    [InlineData("*")]
    [InlineData("keys:crd")]
    [InlineData("profiles:cru")]
    [InlineData("app-contexts:cru")]
    [InlineData("users:crud")]
    [InlineData("logs:r")]
    [InlineData("records:cru:memory")]
    [InlineData("records:rs:patient")]
    [InlineData("entities:crud:team")]
    [InlineData("documents:s:contract")]
    [InlineData("users:s:person")]
    [InlineData("profiles:u:self")]
    [InlineData("profiles:cud:usr_abc-123")]
    [InlineData("inference:r")]
    [InlineData("read")]
    [InlineData("write")]
    [InlineData("delete")]
    [InlineData("admin:keys")]
    [InlineData("admin:profiles")]
    [InlineData("create_own_scoped_key")]
    [InlineData("schemas:w")]
    [InlineData("search:read")]
    public void Catalog_entries_and_legacy_verbs_are_accepted(string action) => Assert.Equal(action, ScopeGrammar.ValidateAction(action));

    [Theory]
    [InlineData("nonsense")]
    [InlineData("widgets:r")]
    [InlineData("records:x")]
    [InlineData("records:rr")]
    [InlineData("records:")]
    [InlineData("logs:c")]
    [InlineData("keys:u")]
    [InlineData("folders:s")]
    [InlineData("documents:r:contract")]
    [InlineData("documents:rs:contract")]
    [InlineData("users:r:person")]
    [InlineData("profiles:r:self")]
    [InlineData("profiles:cru:self")]
    [InlineData("profiles:u:key_1")]
    [InlineData("profiles:u:someone")]
    [InlineData("folders:r:x")]
    [InlineData("records:r:bad type")]
    public void Actions_outside_the_grammar_are_400(string action) =>
        Assert.Throws<ValidationException>(() => ScopeGrammar.ValidateAction(action));

    [Fact]
    public void Legacy_verbs_map_through_one_table_to_their_040_equivalents()
    {
        foreach (var (legacy, modern) in ScopeGrammar.LegacyVerbs)
        {
            Assert.True(ScopeGrammar.ValidateAction(modern.Replace("*:", "records:", StringComparison.Ordinal).Replace(":self", "", StringComparison.Ordinal)) is not null, legacy);
        }

        Assert.True(ScopeGrammar.IsAllowed(false, ["admin:keys"], "keys:d"));
        Assert.False(ScopeGrammar.IsAllowed(false, ["admin:keys"], "keys:u"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["admin:profiles"], "profiles:u"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["admin:users"], "users:c"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["create_own_scoped_key"], "keys:c:self"));
        Assert.False(ScopeGrammar.IsAllowed(false, ["create_own_scoped_key"], "keys:c"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["write"], "records:u:x"));
        Assert.False(ScopeGrammar.IsAllowed(false, ["write"], "records:d:x"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["delete"], "folders:d"));
    }

    [Fact]
    public void Profile_qualifiers_confine_the_grant_to_one_principal()
    {
        Assert.True(ScopeGrammar.IsAllowed(false, ["profiles:u:self"], "profiles:u:self"));
        Assert.False(ScopeGrammar.IsAllowed(false, ["profiles:u:self"], "profiles:u:usr_other"));
        Assert.False(ScopeGrammar.IsAllowed(false, ["profiles:u:self"], "profiles:u"));
        Assert.True(ScopeGrammar.IsAllowed(false, ["profiles:cru"], "profiles:u:usr_other"));
    }

    [Theory]
    [InlineData("""{"orgId": ["x"]}""", "scope:org")]
    [InlineData("""{"clientId": ["x"]}""", "scope:client")]
    [InlineData("""{"tenantId": ["x"]}""", "keys are")]
    [InlineData("""{"scope:User": ["x"]}""", "keys are")]
    [InlineData("""{"userId": ["x"], "userId": ["y"]}""", "more than once")]
    [InlineData("""{"userId": ["${{ self.email }}"]}""", "placeholder")]
    [InlineData("""{"userId": ["${{ any}}x"]}""", "placeholder")]
    [InlineData("""{"userId": ["bad value!"]}""", "value")]
    [InlineData("""{"scope:team": ["${{ member.scope.team }}"]}""", "declares no membership")]
    [InlineData("""{"scope:org": ["${{ member.scope.org:owner }}"]}""", "level")]
    public void Data_scopes_outside_the_grammar_are_400(string dataScope, string message)
    {
        var membership = new Dictionary<string, IReadOnlyList<string>> { ["org"] = ["admin", "viewer"] };
        var ex = Assert.Throws<ValidationException>(() => Valid("""["records:r"]""", dataScope, membership));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_are_accepted_and_spelled_canonically()
    {
        var membership = new Dictionary<string, IReadOnlyList<string>> { ["team"] = ["admin"] };
        var clause = Valid("""["records:r"]""",
            """{"userId": ["${{self.userId}}", null], "scope:org": ["${{ self.scope.org }}", "${{ under.self.scope.org }}"], "scope:team": ["${{ member.scope.team:admin }}", "${{ member.scope.team }}"], "*": ["${{ any }}", null]}""",
            membership);
        Assert.Equal(["${{ self.userId }}", null], clause.Rule("userId")!.Values);
        Assert.Equal(["${{ member.scope.team:admin }}", "${{ member.scope.team }}"], clause.Rule("scope:team")!.Values);
    }

    [Theory]
    [InlineData("*", "is not a capability")]
    [InlineData("superpower", "unknown capability")]
    public void Unknown_capabilities_are_400(string name, string message)
    {
        var ex = Assert.Throws<ValidationException>(() => ScopeGrammar.ValidateClause(Clause("""["records:r"]""", "{}", name), NoMembership));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clause_with_an_unknown_capability_is_denied_whole_at_runtime()
    {
        var stored = Clause("""["records:r"]""", "{}", "delegate-mint", "from-the-future");
        var item = new ItemOwnership(null, []);
        Assert.False(ScopeGrammar.Permits([stored], "records:r:x", item, AccessMode.Read, AccessIdentity.None));
        Assert.False(ScopeGrammar.HasCapability([stored], "delegate-mint"));
        Assert.False(ScopeGrammar.HasCapability([Clause("""["*"]""")], "delegate-mint"));
    }

    [Fact]
    public void An_empty_data_scope_reads_everything_and_places_nothing()
    {
        var clause = Clause("""["records:cru"]""");
        var owned = new ItemOwnership("u1", ["org:o1"]);
        Assert.True(ScopeGrammar.Permits([clause], "records:r:x", owned, AccessMode.Read, AccessIdentity.None));
        Assert.False(ScopeGrammar.Permits([clause], "records:c:x", owned, AccessMode.Place, AccessIdentity.None));

        // An item with no ownership places no value anywhere: a tenant-level item (API-DELTA §15 item 3).
        Assert.True(ScopeGrammar.Permits([clause], "records:c:x", new ItemOwnership(null, []), AccessMode.Place, AccessIdentity.None));
    }

    [Fact]
    public void An_unnamed_dimension_does_not_narrow_reads_but_permits_no_placement()
    {
        var clause = Clause("""["records:cru"]""", """{"scope:org": ["o1"]}""");
        Assert.True(ScopeGrammar.Matches(clause, new ItemOwnership("anyone", ["org:o1"]), AccessMode.Read, AccessIdentity.None));
        Assert.False(ScopeGrammar.Matches(clause, new ItemOwnership("anyone", ["org:o1"]), AccessMode.Place, AccessIdentity.None));
        Assert.True(ScopeGrammar.Matches(clause, new ItemOwnership(null, ["org:o1"]), AccessMode.Place, AccessIdentity.None));
        Assert.False(ScopeGrammar.Matches(clause, new ItemOwnership(null, ["org:o2"]), AccessMode.Read, AccessIdentity.None));

        // A named dimension without null refuses an item that has no value there.
        Assert.False(ScopeGrammar.Matches(clause, new ItemOwnership(null, []), AccessMode.Read, AccessIdentity.None));
        var withNull = Clause("""["records:r"]""", """{"scope:org": ["o1", null]}""");
        Assert.True(ScopeGrammar.Matches(withNull, new ItemOwnership(null, []), AccessMode.Read, AccessIdentity.None));
    }

    [Fact]
    public void Star_states_the_rule_for_every_unnamed_dimension_and_any_excludes_absent_values()
    {
        var clause = Clause("""["records:cru"]""", """{"*": ["${{ any }}"], "userId": ["${{ self.userId }}"]}""");
        var me = new AccessIdentity("u1", new Dictionary<string, string>(), [], []);
        Assert.True(ScopeGrammar.Matches(clause, new ItemOwnership("u1", ["org:o1"]), AccessMode.Place, me));
        Assert.False(ScopeGrammar.Matches(clause, new ItemOwnership("u2", ["org:o1"]), AccessMode.Read, me));
        Assert.True(ScopeGrammar.Matches(clause, new ItemOwnership("u1", []), AccessMode.Read, me));
        var covering = Clause("""["records:r"]""", """{"*": ["${{ any }}", null]}""");
        Assert.True(ScopeGrammar.Matches(covering, new ItemOwnership(null, ["team:t"]), AccessMode.Place, me));
    }

    [Fact]
    public void Placeholders_resolve_from_identity_memberships_and_parents()
    {
        var identity = new AccessIdentity("u1", new Dictionary<string, string> { ["org"] = "o1" },
            [new MembershipFact("team", "t1", "admin"), new MembershipFact("team", "t2", "viewer")],
            [new ChildFact("scope:client", "c1", "scope:org:o1"), new ChildFact("scope:team", "t9", "userId:u1")]);

        var self = Clause("""["records:r"]""", """{"scope:org": ["${{ self.scope.org }}"]}""");
        Assert.True(ScopeGrammar.Matches(self, new ItemOwnership(null, ["org:o1"]), AccessMode.Read, identity));
        Assert.False(ScopeGrammar.Matches(self, new ItemOwnership(null, ["org:o2"]), AccessMode.Read, identity));

        var under = Clause("""["records:r"]""", """{"scope:client": ["${{ under.self.scope.org }}"], "scope:team": ["${{ under.self.userId }}", null]}""");
        Assert.True(ScopeGrammar.Matches(under, new ItemOwnership(null, ["client:c1"]), AccessMode.Read, identity));
        Assert.True(ScopeGrammar.Matches(under, new ItemOwnership(null, ["client:c1", "team:t9"]), AccessMode.Read, identity));
        Assert.False(ScopeGrammar.Matches(under, new ItemOwnership(null, ["client:c2"]), AccessMode.Read, identity));

        var anyLevel = Clause("""["records:r"]""", """{"scope:team": ["${{ member.scope.team }}"]}""");
        var adminOnly = Clause("""["records:r"]""", """{"scope:team": ["${{ member.scope.team:admin }}"]}""");
        Assert.True(ScopeGrammar.Matches(anyLevel, new ItemOwnership(null, ["team:t2"]), AccessMode.Read, identity));
        Assert.True(ScopeGrammar.Matches(adminOnly, new ItemOwnership(null, ["team:t1"]), AccessMode.Read, identity));
        Assert.False(ScopeGrammar.Matches(adminOnly, new ItemOwnership(null, ["team:t2"]), AccessMode.Read, identity));
        Assert.False(ScopeGrammar.Matches(anyLevel, new ItemOwnership(null, ["team:t3"]), AccessMode.Read, identity));
    }

    [Fact]
    public void One_clause_must_grant_the_verb_and_match_the_ownership()
    {
        var readsOrgOne = Clause("""["records:r"]""", """{"scope:org": ["o1"]}""");
        var writesEverywhere = Clause("""["records:u"]""", """{"scope:org": ["o2"]}""");
        var item = new ItemOwnership(null, ["org:o1"]);
        Assert.True(ScopeGrammar.Permits([readsOrgOne, writesEverywhere], "records:r:x", item, AccessMode.Read, AccessIdentity.None));
        Assert.False(ScopeGrammar.Permits([readsOrgOne, writesEverywhere], "records:u:x", item, AccessMode.Read, AccessIdentity.None));
    }

    [Fact]
    public void The_cap_refuses_wider_verbs_capabilities_and_data_scopes()
    {
        var held = new[] { Clause("""["records:cru:memory", "profiles:cru"]""", """{"scope:org": ["o1", "o2"]}""", "member-lifecycle") };

        Assert.True(ScopeGrammar.IsNoWiderThan([Clause("""["records:r:memory"]""", """{"scope:org": ["o1"]}""")], held, sameSubject: false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:r"]""", """{"scope:org": ["o1"]}""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:d:memory"]""", """{"scope:org": ["o1"]}""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:r:memory"]""", """{"scope:org": ["o3"]}""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:r:memory"]""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["*"]""", """{"scope:org": ["o1"]}""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["read"]""", """{"scope:org": ["o1"]}""")], held, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:r:memory"]""", """{"scope:org": ["o1"]}""", "delegate-mint")], held, false));
        Assert.True(ScopeGrammar.IsNoWiderThan([Clause("""["records:r:memory"]""", """{"scope:org": ["o1"]}""", "member-lifecycle")], held, false));
        Assert.Equal(1, ScopeGrammar.FirstWider(
            [Clause("""["profiles:r"]""", """{"scope:org": ["o2"]}"""), Clause("""["logs:r"]""", """{"scope:org": ["o2"]}""")], held, false));
    }

    [Fact]
    public void The_cap_keeps_placement_and_self_relative_grants_in_bounds()
    {
        // Holding {} reads everything but places nothing: granting a write clause that names a dimension would add placement.
        var everywhere = new[] { Clause("""["records:cru"]""") };
        Assert.True(ScopeGrammar.IsNoWiderThan([Clause("""["records:r"]""", """{"scope:org": ["o1"]}""")], everywhere, false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["records:c"]""", """{"scope:org": ["o1"]}""")], everywhere, false));

        // ${{ self.userId }} is someone else's id when granted to another principal; only a held ${{ any }} covers it.
        var mine = new[] { Clause("""["records:r", "profiles:u:self"]""", """{"userId": ["${{ self.userId }}"]}""") };
        var same = Clause("""["records:r"]""", """{"userId": ["${{ self.userId }}"]}""");
        Assert.True(ScopeGrammar.IsNoWiderThan([same], mine, sameSubject: true));
        Assert.False(ScopeGrammar.IsNoWiderThan([same], mine, sameSubject: false));
        Assert.True(ScopeGrammar.IsNoWiderThan([same], [Clause("""["records:r"]""", """{"userId": ["${{ any }}"]}""")], false));
        Assert.False(ScopeGrammar.IsNoWiderThan([Clause("""["profiles:u:self"]""", """{"userId": ["${{ self.userId }}"]}""")], mine, false));
    }

    [Fact]
    public void Profile_authority_caps_scoped_callers_and_exempts_root()
    {
        var root = new AccessActor(new CallerContext("t", "default", "key_1", true, ["*"]), null, [], new Dictionary<string, string>());
        var scoped = new AccessActor(new CallerContext("t", "default", "ssk_1", false, ["profiles:cru", "records:r"]), "usr_me",
            [Clause("""["profiles:cru", "records:r"]""", """{"scope:org": ["o1"]}""")], new Dictionary<string, string> { ["scope:org"] = "o1" });
        var wide = new[] { Clause("""["records:crud"]""") };

        ProfileAuthority.CheckCap(root, wide, "usr_x", "scopes");
        Assert.Throws<ForbiddenException>(() => ProfileAuthority.CheckCap(scoped, wide, "usr_x", "scopes"));
        ProfileAuthority.CheckCap(scoped, [Clause("""["records:r"]""", """{"scope:org": ["o1"]}""")], "usr_x", "scopes");

        // identityOverrides: set, change or clear only values the caller holds (CL 0.36, 0.38).
        var held = new Dictionary<string, string> { ["scope:org"] = "o1" };
        var foreign = new Dictionary<string, string> { ["scope:org"] = "o9" };
        ProfileAuthority.CheckOverrides(scoped, null, held);
        ProfileAuthority.CheckOverrides(scoped, held, held);
        ProfileAuthority.CheckOverrides(scoped, held, null);
        Assert.Throws<ForbiddenException>(() => ProfileAuthority.CheckOverrides(scoped, null, foreign));
        Assert.Throws<ForbiddenException>(() => ProfileAuthority.CheckOverrides(scoped, foreign, held));
        Assert.Throws<ForbiddenException>(() => ProfileAuthority.CheckOverrides(scoped, foreign, new Dictionary<string, string>()));
        ProfileAuthority.CheckOverrides(root, foreign, null);

        Assert.True(ProfileAuthority.CanActOn(scoped, 'u', "usr_other"));
        var selfOnly = scoped with { Caller = scoped.Caller with { AllowedActions = ["profiles:u:self"] } };
        Assert.True(ProfileAuthority.CanActOn(selfOnly, 'u', "usr_me"));
        Assert.False(ProfileAuthority.CanActOn(selfOnly, 'u', "usr_other"));
    }

    [Theory]
    [InlineData("""{"orgId": "o1", "scope:org": "o1"}""", true)]
    [InlineData("""{"clientId": "c1"}""", true)]
    [InlineData("""{"orgId": "o1", "scope:org": "o2"}""", false)]
    [InlineData("""{"userId": "u1"}""", false)]
    [InlineData("""{"scope:a": "1", "scope:bb": "2", "scope:cc": "3"}""", false)]
    [InlineData("""{"scope:org": "not valid!"}""", false)]
    [InlineData("""{"scope:org": 5}""", false)]
    public void Identity_overrides_take_scope_keys_and_the_legacy_names(string json, bool ok)
    {
        using var doc = JsonDocument.Parse(json);
        if (ok)
        {
            Assert.NotEmpty(ProfileAuthority.ReadOverrides(doc.RootElement));
        }
        else
        {
            Assert.Throws<ValidationException>(() => ProfileAuthority.ReadOverrides(doc.RootElement));
        }
    }
}
