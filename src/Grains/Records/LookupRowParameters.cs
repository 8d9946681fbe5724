using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Vectros.Grains.Records;

/// <summary>
/// Lookup rows as the ten parallel-array parameters the write batches unnest (field, key, number, text, unique, group,
/// has-sort, sort number, sort text, sort-on-update), so one fixed statement text inserts any number of rows. Sort keys
/// travel as text and are cast in SQL, so a number keeps every digit; timestamp sort keys resolve against the item's
/// creation and update times.
/// </summary>
internal static class LookupRowParameters
{
    public static NpgsqlParameter[] Of(IReadOnlyList<LookupRow> rows, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var created = LookupSort.EpochMillis(createdAt).ToString(CultureInfo.InvariantCulture);
        var updated = LookupSort.EpochMillis(updatedAt).ToString(CultureInfo.InvariantCulture);
        string SortNum(LookupSortKey key) => key.Source switch
        {
            LookupSortSource.CreatedAt => created,
            LookupSortSource.UpdatedAt => updated,
            LookupSortSource.Number => key.Value!,
            _ => "0",
        };

        return
        [
            new() { Value = rows.Select(r => r.Field).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.ValueKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.ValueNum).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric },
            new() { Value = rows.Select(r => r.ValueText).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.IsUnique).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
            new() { Value = rows.Select(r => r.GroupKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.Sort.Source != LookupSortSource.None).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
            new() { Value = rows.Select(r => SortNum(r.Sort)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.Sort.Source == LookupSortSource.Text ? r.Sort.Value! : "").ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new() { Value = rows.Select(r => r.Sort.Source == LookupSortSource.UpdatedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
        ];
    }
}
