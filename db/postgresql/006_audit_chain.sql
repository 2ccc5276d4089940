-- Version 6 in PostgreSQL's dialect (db/006_audit_chain.sql): the tamper-evident audit chain.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
