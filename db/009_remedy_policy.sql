-- Version 9: which reading of the remedy rule an agency's letters follow (workflow/lifecycle.wf,
-- `remedy_policy` lines). '' = the workflow's default (the safe reading).
ALTER TABLE agencies ADD COLUMN remedy_policy TEXT NOT NULL DEFAULT '';
