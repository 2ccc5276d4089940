-- Version 6: the audit trail is tamper-evident. Each entry carries the hash of the one before
-- and its own: SHA-256 of the previous hash and its fields (src/store/sql_store.cpp,
-- append_audit). `ogi audit verify` recomputes the chain and names the first broken entry.
-- Entries written before this version have empty hashes; the chain starts after them.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
