using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #8 item 5: the spec's filters (FilterValue / FilterCondition) on payload and ownership fields, through HTTP.</summary>
public sealed class SearchFilterTests : SearchTestBase
{
    private readonly Guid _cheapRed = Guid.CreateVersion7();
    private readonly Guid _midBlue = Guid.CreateVersion7();
    private readonly Guid _dearGreen = Guid.CreateVersion7();
    private readonly Guid _untyped = Guid.CreateVersion7();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateSchemaAsync(new
        {
            typeName = "lamp",
            displayName = "Lamp",
            allowedSurfaces = new[] { "record", "document" },
            fields = new object[]
            {
                new { fieldId = "price", fieldType = "number", filterable = true },
                new { fieldId = "colour", fieldType = "string", filterable = true },
                new { fieldId = "released", fieldType = "date", filterable = true },
                new { fieldId = "dimmable", fieldType = "boolean", filterable = true },
                new { fieldId = "tags", fieldType = "array", filterable = true },
                new { fieldId = "notes", fieldType = "string" },
            },
        });
        await SeedAsync(
            new ChunkSeed("A lamp for the reading nook.") { SourceId = _cheapRed, TypeName = "lamp", Filter = new { price = 40, colour = "red", released = "2023-05-01", dimmable = true, tags = new[] { "desk", "warm" } } },
            new ChunkSeed("A lamp for the living room.") { SourceId = _midBlue, TypeName = "lamp", Filter = new { price = 150, colour = "blue", released = "2024-02-10T12:00:00Z", dimmable = false, tags = new[] { "floor" } } },
            new ChunkSeed("A lamp for the grand hall.") { SourceId = _dearGreen, TypeName = "lamp", Filter = new { price = 900.5, colour = "green", released = "2025-01-01", tags = new[] { "floor", "brass" } } },
            new ChunkSeed("A lamp someone wrote about, with no type.") { SourceId = _untyped, Filter = new { department = "legal", price = "150" } });
    }

    private async Task<List<Guid>> FindAsync(object filters) =>
        [.. Ids(await SearchAsync(new { query = "lamp", mode = "TEXT", filters })).Order()];

    private static List<Guid> Sorted(params Guid[] ids) => [.. ids.Order()];

    [Fact]
    public async Task A_scalar_is_equality_and_an_array_is_any_of()
    {
        Assert.Equal(Sorted(_cheapRed), await FindAsync(new { colour = "red" }));
        Assert.Equal(Sorted(_cheapRed, _dearGreen), await FindAsync(new { colour = new[] { "red", "green" } }));
        Assert.Equal(Sorted(_cheapRed), await FindAsync(new { dimmable = true }));
        Assert.Empty(await FindAsync(new { colour = "purple" }));
    }

    [Fact]
    public async Task Numbers_and_strings_match_by_type()
    {
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { price = 150 }));
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { price = 150.0 }));
        Assert.Equal(Sorted(_untyped), await FindAsync(new { price = "150" }));
    }

    [Fact]
    public async Task Range_operators_in_one_map_are_anded()
    {
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { price = new Dictionary<string, object> { ["$gte"] = 100, ["$lte"] = 500 } }));
        Assert.Equal(Sorted(_midBlue, _dearGreen), await FindAsync(new { price = new Dictionary<string, object> { ["$gt"] = 40 } }));
        Assert.Equal(Sorted(_cheapRed), await FindAsync(new { price = new Dictionary<string, object> { ["$lt"] = 150 } }));
        Assert.Equal(Sorted(_cheapRed, _midBlue), await FindAsync(new { price = new Dictionary<string, object> { ["$lte"] = 150, ["$ne"] = 900.5 } }));
        // Strings order as strings.
        Assert.Equal(Sorted(_dearGreen), await FindAsync(new { colour = new Dictionary<string, object> { ["$gt"] = "c", ["$lt"] = "h" } }));
    }

    [Fact]
    public async Task Negation_and_membership_operators()
    {
        // $ne and $nin also keep items that lack the field (the untyped one has no colour).
        Assert.Equal(Sorted(_midBlue, _dearGreen, _untyped), await FindAsync(new { colour = new Dictionary<string, object> { ["$ne"] = "red" } }));
        Assert.Equal(Sorted(_cheapRed, _midBlue), await FindAsync(new { colour = new Dictionary<string, object> { ["$in"] = new[] { "red", "blue" } } }));
        Assert.Equal(Sorted(_dearGreen, _untyped), await FindAsync(new { colour = new Dictionary<string, object> { ["$nin"] = new[] { "red", "blue" } } }));
        Assert.Equal(Sorted(_cheapRed, _midBlue, _dearGreen, _untyped), await FindAsync(new { colour = new Dictionary<string, object> { ["$nin"] = Array.Empty<string>() } }));
    }

    [Fact]
    public async Task Multi_valued_fields_match_any_of_their_values()
    {
        Assert.Equal(Sorted(_midBlue, _dearGreen), await FindAsync(new { tags = "floor" }));
        Assert.Equal(Sorted(_cheapRed, _dearGreen), await FindAsync(new { tags = new Dictionary<string, object> { ["$in"] = new[] { "brass", "desk" } } }));
    }

    [Fact]
    public async Task Date_fields_compare_as_instants_from_iso_strings_or_epoch_milliseconds()
    {
        Assert.Equal(Sorted(_midBlue, _dearGreen), await FindAsync(new { released = new Dictionary<string, object> { ["$gte"] = "2024-01-01" } }));
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { released = new Dictionary<string, object> { ["$gt"] = "2024-02-10T11:59:59+00:00", ["$lt"] = "2024-12-31T00:00:00Z" } }));
        var feb = new DateTimeOffset(2024, 2, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { released = feb }));
        Assert.Equal(Sorted(_cheapRed), await FindAsync(new { released = new Dictionary<string, object> { ["$lt"] = feb } }));
    }

    [Fact]
    public async Task Fields_are_anded_and_an_undeclared_document_key_is_filterable()
    {
        Assert.Equal(Sorted(_midBlue), await FindAsync(new { colour = new[] { "blue", "green" }, dimmable = false }));
        Assert.Equal(Sorted(_untyped), await FindAsync(new { department = "legal" }));
    }

    [Fact]
    public async Task Filters_apply_in_every_mode()
    {
        foreach (var mode in new[] { "HYBRID", "SEMANTIC", "TEXT" })
        {
            var response = await SearchAsync(new { query = "lamp for the room", mode, textMode = "OR", filters = new { colour = "blue" } });
            Assert.Equal([_midBlue], Ids(response));
        }
    }

    [Fact]
    public async Task Unknown_fields_operators_and_malformed_trees_are_refused_naming_the_path()
    {
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { nosuchfield = 1 } }, "filters.nosuchfield");
        // Declared but not filterable is as unknown as undeclared.
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { notes = "x" } }, "filters.notes");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { price = new Dictionary<string, object> { ["$regex"] = "x" } } }, "filters.price.$regex");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new Dictionary<string, object> { ["$or"] = new[] { new { colour = "red" } } } }, "filters.$or");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { price = new Dictionary<string, object> { ["$gte"] = new { nested = 1 } } } }, "filters.price.$gte");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { price = new Dictionary<string, object> { ["$gte"] = new[] { 1 } } } }, "filters.price.$gte");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = new object[] { "red", new[] { "blue" } } } }, "filters.colour[1]");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = new Dictionary<string, object> { ["$in"] = "red" } } }, "filters.colour.$in");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = new Dictionary<string, object> { ["$in"] = new[] { "red" }, ["$ne"] = "blue" } } }, "filters.colour");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = new Dictionary<string, object>() } }, "filters.colour");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = (string?)null } }, "filters.colour");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { dimmable = new Dictionary<string, object> { ["$gt"] = true } } }, "filters.dimmable.$gt");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { released = new Dictionary<string, object> { ["$gt"] = "not a date" } } }, "filters.released.$gt");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new Dictionary<string, object> { ["bad name!"] = 1 } }, "filters.bad name!");
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { colour = Enumerable.Range(0, 101).Select(i => $"c{i}").ToArray() } }, "filters.colour");
        await ExpectBadRequestAsync(new { query = "lamp", filters = Enumerable.Range(0, 33).ToDictionary(i => $"f{i}", i => (object)i) }, "filters");
        await ExpectBadRequestAsync(new { query = "lamp", filters = "colour=red" }, "filters");
        // Numbers keep to the 0.40 limits (API-DELTA §1).
        await ExpectBadRequestAsync(new { query = "lamp", filters = new { price = 1e30 } }, "filters.price");
    }
}
