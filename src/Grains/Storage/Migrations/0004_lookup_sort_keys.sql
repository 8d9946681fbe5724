-- 0.40 lookups (API-DELTA §4): every exact-match lookup row carries its lookup's sort key (LookupDef.sortBy), so
-- an exact match comes back in sort-key order and can be windowed with sortFrom/sortTo; and composite lookups
-- (fieldNames) keep one row per leading run of their values, so a leading run is an exact key match too.
--
-- group_key  for a composite row that matches a leading run: the remaining values, encoded; '' otherwise. Rows
--            of one leading-run match are ordered by it first, so records that share the remaining values come
--            out together.
-- has_sort   whether the record has a sort key; rows without one sort first and are never in a window.
-- sort_num   the key when it is a number (epoch milliseconds for createdAt, lastUpdated and date fields).
-- sort_text  the key when it is text (C collation: byte order, as range lookups compare strings).
-- sort_on_update  the key is lastUpdated, so a write that keeps the lookup rows still moves it.
-- Columns are NOT NULL with neutral defaults so that one row comparison positions a cursor.
ALTER TABLE record_lookups
    ADD COLUMN group_key      text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN has_sort       boolean NOT NULL DEFAULT false,
    ADD COLUMN sort_num       numeric NOT NULL DEFAULT 0,
    ADD COLUMN sort_text      text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN sort_on_update boolean NOT NULL DEFAULT false;

-- The exact-match read path: equality on the key, then the page in (group, sort key, id) order.
CREATE INDEX record_lookups_sorted ON record_lookups
    (tenant_id, context_id, type_name, field, value_key, group_key, has_sort, sort_num, sort_text, record_id);

-- Rows written before this migration get the timestamp sort keys their lookups declare (stored definitions have
-- sortBy written out). Field sort keys start with the next write of each record.
UPDATE record_lookups l
SET has_sort = true,
    sort_on_update = (lf.value ->> 'sortBy' = 'lastUpdated'),
    sort_num = floor(extract(epoch FROM CASE WHEN lf.value ->> 'sortBy' = 'lastUpdated' THEN r.updated_at ELSE r.created_at END) * 1000)
FROM records r
JOIN schemas s ON s.tenant_id = r.tenant_id AND s.context_id = r.context_id AND s.type_name = r.type_name
CROSS JOIN LATERAL jsonb_array_elements(s.definition -> 'lookupFields') AS lf(value)
WHERE l.tenant_id = r.tenant_id AND l.context_id = r.context_id AND l.record_id = r.record_id
  AND lf.value ->> 'fieldName' = l.field
  AND coalesce(lf.value ->> 'sortBy', 'createdAt') IN ('createdAt', 'lastUpdated');
