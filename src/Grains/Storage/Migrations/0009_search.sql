-- Issue #8 search: the text-query builder, a safe timestamp reader for date filters, and the registry of filter
-- keys that indexed content has carried (what makes a search filter's field "known", README "Search").

-- The keyword lane's tsquery for one search text mode (spec SearchRequest.textMode). Lexemes come from the same
-- english configuration as chunks.tsv, so query and index stem alike; a text with no lexemes (stop words only)
-- gives NULL, which matches nothing.
--   OR       any lexeme
--   AND      every lexeme (plainto_tsquery)
--   PHRASE   the lexemes in order; slop 0 is phraseto_tsquery; with slop s each consecutive pair must lie within
--            its original gap .. gap + s positions (PostgreSQL's <N> means "exactly N apart", so each pair is an OR
--            of the distances allowed, and the pairs are ANDed: linear in the terms, where one nested phrase would
--            grow as (s + 1) ^ terms)
--   COMPLEX  PostgreSQL's tsquery syntax (& | ! <-> parentheses :*); a syntax error raises SQLSTATE 42601
-- Lexemes are quoted for tsquery input: inside '...', a quote or backslash is escaped with a backslash.
CREATE FUNCTION vectros_text_query(mode text, query text, slop integer) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    terms text[];
    positions integer[];
    built text := '';
    alternatives text[];
BEGIN
    IF mode = 'COMPLEX' THEN
        RETURN to_tsquery('english', query);
    END IF;

    -- Every occurrence of every lexeme, in text order.
    SELECT array_agg(quoted ORDER BY pos), array_agg(pos ORDER BY pos)
      INTO terms, positions
      FROM (SELECT '''' || replace(replace(t.lexeme, '\', '\\'), '''', '\''') || '''' AS quoted, p AS pos
              FROM unnest(to_tsvector('english', query)) AS t, unnest(t.positions) AS p) AS occurrences;
    IF terms IS NULL THEN
        RETURN NULL; -- no lexemes (an empty tsquery would also log a NOTICE)
    ELSIF mode = 'OR' THEN
        RETURN array_to_string(ARRAY(SELECT DISTINCT unnest(terms)), ' | ')::tsquery;
    ELSIF mode = 'AND' THEN
        RETURN plainto_tsquery('english', query);
    ELSIF slop = 0 THEN
        RETURN phraseto_tsquery('english', query);
    ELSIF array_length(terms, 1) = 1 THEN
        RETURN terms[1]::tsquery;
    END IF;

    FOR i IN 2 .. array_length(terms, 1) LOOP
        alternatives := ARRAY[]::text[];
        FOR d IN (positions[i] - positions[i - 1]) .. (positions[i] - positions[i - 1] + slop) LOOP
            alternatives := alternatives || (terms[i - 1] || ' <' || d || '> ' || terms[i]);
        END LOOP;
        built := built || CASE WHEN i > 2 THEN ' & ' ELSE '' END || '(' || array_to_string(alternatives, ' | ') || ')';
    END LOOP;
    RETURN built::tsquery;
END;
$$;

-- A filter value read as a point in time for a date-typed search filter, or NULL when it is not one (payload
-- dates are validated on write, but a key may also come from an undeclared document field). A timestamp without
-- an offset is UTC, whatever the session's time zone.
CREATE FUNCTION vectros_try_timestamptz(value text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET TimeZone = 'UTC' AS $$
BEGIN
    RETURN value::timestamptz;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

-- Every key that a chunk's `filter` has carried in a context: a search filter on a field that is neither an
-- ownership field, nor filterable in a schema of the context, nor in here is refused as unknown (400). Keys are
-- never removed when their last chunk goes (a stale key only means a known field that matches nothing); the
-- context purge deletes them with the context. Maintained by statement-level triggers, so it holds however the
-- chunks are written (indexer, COPY); the NOT EXISTS skips keys already known without taking a row lock.
CREATE TABLE search_filter_fields (
    tenant_id  text NOT NULL,
    context_id text NOT NULL,
    field      text NOT NULL,
    PRIMARY KEY (tenant_id, context_id, field)
);

CREATE FUNCTION vectros_register_filter_fields() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_filter_fields (tenant_id, context_id, field)
    SELECT DISTINCT n.tenant_id, n.context_id, k.field
      FROM new_chunks n, jsonb_object_keys(n.filter) AS k(field)
     WHERE NOT EXISTS (SELECT 1 FROM search_filter_fields s
                        WHERE s.tenant_id = n.tenant_id AND s.context_id = n.context_id AND s.field = k.field)
     ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER chunks_filter_fields_insert AFTER INSERT ON chunks
    REFERENCING NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION vectros_register_filter_fields();
CREATE TRIGGER chunks_filter_fields_update AFTER UPDATE ON chunks
    REFERENCING NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION vectros_register_filter_fields();
