-- Issue #8 indexing pipeline: the document version whose indexing finished (INDEXED, SKIPPED, STORED or FAILED).
-- A document write need not reset index_status (a metadata edit may leave INDEXED), so the pipeline tells "this
-- version is done" by this column, not by the state: a repeated or superseded document.index row then costs one
-- read, and a run that resumes after a crash cannot index a version twice or report it twice.
ALTER TABLE documents ADD COLUMN indexed_version bigint;
