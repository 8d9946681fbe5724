using Npgsql;
using NpgsqlTypes;

namespace Vectros.Grains.Storage;

/// <summary>
/// Typed parameters for the stores' SQL. A null becomes <c>DBNull</c> with the type stated, so PostgreSQL never
/// has to infer the type of a NULL (which it cannot for <c>$n IS NULL</c> tests). Import with <c>using static</c>.
/// </summary>
internal static class SqlParam
{
    public static NpgsqlParameter Of(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    public static NpgsqlParameter Text(string? value) => Of(value, NpgsqlDbType.Text);

    public static NpgsqlParameter Uuid(Guid? value) => Of(value, NpgsqlDbType.Uuid);

    public static NpgsqlParameter Int(int? value) => Of(value, NpgsqlDbType.Integer);

    public static NpgsqlParameter Long(long? value) => Of(value, NpgsqlDbType.Bigint);

    public static NpgsqlParameter Bool(bool value) => Of(value, NpgsqlDbType.Boolean);

    public static NpgsqlParameter Time(DateTimeOffset value) => Of(value, NpgsqlDbType.TimestampTz);

    public static NpgsqlParameter Time(DateTimeOffset? value) => Of(value, NpgsqlDbType.TimestampTz);

    public static NpgsqlParameter TextArray(IEnumerable<string>? values) => Of(values?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
}
