using Npgsql;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Storage;

/// <summary>Translates PostgreSQL failures at the storage boundary into the grain exception family.</summary>
internal static class PostgresErrors
{
    public static bool IsUniqueViolation(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static ConflictException Conflict(string what) =>
        new("CONFLICT", $"{what} was changed concurrently; retry the request.");
}
