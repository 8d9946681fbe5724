using System.Reflection;

namespace Vectros.Silo.Storage;

/// <summary>
/// A named set of migrations: the embedded <c>Storage/Migrations/NNNN_name.sql</c> scripts of one assembly, next
/// to the code that owns their tables (DESIGN §4). Registered with <see cref="MigrationServiceCollectionExtensions.AddMigrations"/>.
/// </summary>
public sealed record MigrationModule(string Name, Assembly Assembly);
