namespace Vectros.Grains.Records;

/// <summary>
/// The tables a field lookup reads: an items table (records, documents) and its lookup rows (same shape, keyed by the
/// item's id column of the same name). The lookup statements are written once against this, so records and documents
/// look up, order and page identically.
/// </summary>
/// <param name="LookupTable">The lookup rows, e.g. <c>record_lookups</c>.</param>
/// <param name="ItemTable">The items, e.g. <c>records</c>; statements alias it <c>r</c>.</param>
/// <param name="IdColumn">The item id column in both tables, e.g. <c>record_id</c>.</param>
/// <param name="ItemColumns">The item columns the store reads, each prefixed with <c>r.</c>.</param>
internal sealed record LookupSource(string LookupTable, string ItemTable, string IdColumn, string ItemColumns)
{
    public static readonly LookupSource Records = new("record_lookups", "records", "record_id", RecordStore.ColumnsOf("r"));
}
