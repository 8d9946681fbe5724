using Vectros.Contract.Tests.Spec;
using Xunit;
using Xunit.Sdk;

namespace Vectros.Contract.Tests;

/// <summary>The 0.40 shapes load, and a shape check fails on a body that breaks them.</summary>
public sealed class DeltaSpecTests
{
    [Fact]
    public void Every_file_loads_and_refs_resolve_to_known_schemas()
    {
        Assert.NotEmpty(DeltaSpec.Current.Files);
        Assert.Contains("ErrorResponse040", DeltaSpec.Current.SchemaNames);
    }

    [Fact]
    public void A_body_breaking_a_shape_fails()
    {
        ContractAssert.MatchesDelta("ErrorResponse040", """{"message":"x","requestId":"r1","errorCode":"VERSION_CONFLICT"}""");
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("ErrorResponse040", """{"message":"x"}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("OwnershipScopes", """["org:a","client:b","team:c"]"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("OwnershipScopes", """["Org:a"]"""));
    }
}
