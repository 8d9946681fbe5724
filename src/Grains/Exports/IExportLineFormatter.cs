using System.Text.Json;

namespace Vectros.Grains.Exports;

/// <summary>
/// Shapes the views an export reads (records, documents, folders, users, entities, schemas, versions: the same view
/// records the read APIs map) into the JSON the read APIs return. The front end, which owns those response shapes,
/// registers its own (every silo runs inside the front end's process); <see cref="ViewExportLineFormatter"/> is the
/// stand-in for hosts without one.
/// </summary>
public interface IExportLineFormatter
{
    /// <summary>The object to serialise for <paramref name="view"/> (one of the view types above).</summary>
    object Shape(object view);

    JsonSerializerOptions Options { get; }
}

/// <summary>Serialises the views as they are (web defaults): for hosts with no front end, such as grain tests.</summary>
public sealed class ViewExportLineFormatter : IExportLineFormatter
{
    public JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public object Shape(object view) => view;
}
