using System.Reflection;

namespace Vectros.Runtime.Storage;

/// <summary>DI registration made by <c>AddMigrations</c>: a module name and the assembly holding its scripts.</summary>
internal sealed record MigrationModule(string Name, Assembly Assembly);
