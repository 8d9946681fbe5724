-- Record writes (issue #3) go to PostgreSQL as one batch: one round trip, one implicit transaction. A
-- precondition (the version the record grain last saw, an existing folder, resolvable references) is a
-- statement in that batch that raises when it does not hold, which rolls the whole write back.
-- sqlstate is a five-character code the writer maps back (VX409 = version conflict, VX400 = invalid input);
-- detail names the failing field and never carries a value.
CREATE FUNCTION vectros_require(ok boolean, sqlstate text, detail text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = detail;
    END IF;
END
$$;
