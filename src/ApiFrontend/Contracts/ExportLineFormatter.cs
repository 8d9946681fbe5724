using System.Text.Json;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Exports;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Export lines in exactly the JSON the read APIs return: the same response mappings, the same wire options.</summary>
public sealed class ExportLineFormatter : IExportLineFormatter
{
    public JsonSerializerOptions Options => ApiJson.Response;

    public object Shape(object view) => view switch
    {
        RecordView record => RecordResponse.From(record),
        DocumentView document => DocumentResponse.From(document),
        FolderView folder => FolderResponse.From(folder),
        UserView user => UserResponse.From(user),
        EntityView entity => EntityResponse.From(entity),
        SchemaView schema => SchemaResponse.From(schema),
        VersionView version => ModelDataVersionResponse.From(version),
        _ => view,
    };
}
