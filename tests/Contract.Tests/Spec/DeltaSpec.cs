using System.Text.Json.Nodes;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// The 0.40 response shapes, written by us from <c>API-DELTA-0.40.md</c> as test data (DESIGN §7): every
/// <c>Delta040/*.yaml</c> file holds <c>components.schemas</c>, and they are merged into one document so a schema in
/// one file can <c>$ref</c> one in another. Unlike the 0.31 spec these files live in the repository, so the
/// tests that use them always run.
/// </summary>
public sealed class DeltaSpec
{
    private static readonly Lazy<DeltaSpec> _current = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JsonObject _schemas;

    private DeltaSpec(JsonObject document, IReadOnlyList<string> files)
    {
        _schemas = (JsonObject)document["components"]!["schemas"]!;
        Files = files;
        Validator = new SchemaValidator(document);
    }

    public static DeltaSpec Current => _current.Value;

    public IReadOnlyList<string> Files { get; }

    public SchemaValidator Validator { get; }

    public IEnumerable<string> SchemaNames => _schemas.Select(p => p.Key);

    public JsonNode? Schema(string name) => _schemas[name];

    private static DeltaSpec Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Delta040");
        var files = Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).ToList();
        var merged = new JsonObject();
        foreach (var file in files)
        {
            var schemas = YamlToJson.Parse(File.ReadAllText(file))?["components"]?["schemas"] as JsonObject
                ?? throw new InvalidDataException($"{file}: expected components.schemas.");
            foreach (var (name, schema) in schemas)
            {
                if (merged.ContainsKey(name))
                {
                    throw new InvalidDataException($"{file}: schema '{name}' is defined in two Delta040 files.");
                }

                merged[name] = schema?.DeepClone();
            }
        }

        return new DeltaSpec(new JsonObject { ["components"] = new JsonObject { ["schemas"] = merged } }, files);
    }
}
