-- The service's own PostgreSQL role, for a deployment where the schema belongs to another (README, "Append-only, in
-- the database too"). It may read and write the records as the service does, and only add to the log and the export
-- register, whatever the triggers. Not part of the changelog: run it as the schema's owner after `db migrate`, with
-- custody_app replaced by the role the service signs in as; the service then runs with `migrateOnStart: false`.
-- SeparateRolePostgresTest runs the service as such a role.
GRANT USAGE ON SCHEMA public TO custody_app;
GRANT SELECT, INSERT, UPDATE ON users, cases, evidence TO custody_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO custody_app;
-- the check value of the key that seals second factors: recorded by the first start, replaced by
-- `keys reset-second-factors`
GRANT SELECT, INSERT, UPDATE ON second_factor_key TO custody_app;
-- a grant taken back, an evidence item taken off a case it was linked to by mistake (each a log entry)
GRANT SELECT, INSERT, DELETE ON case_grant, evidence_case TO custody_app;
GRANT SELECT, INSERT ON status_change, custody_event TO custody_app;
GRANT SELECT, INSERT ON log_entry, log_payload, log_case, log_checkpoint, log_tile, log_tile_part, log_key, exports, export_case TO custody_app;
-- a case erased by law (README, "Erasing a case"): its records go, and the payloads of its entries, each of which the
-- triggers let go only once log_erasure names it
GRANT SELECT, INSERT ON log_erasure, log_erased_case TO custody_app;
GRANT DELETE ON cases, evidence, status_change, custody_event, log_payload TO custody_app;
GRANT DELETE ON log_tile_part TO custody_app;
-- The service vacuums this table every ten seconds, since autovacuum visits it at most once a minute and it fills with
-- deleted rows at every append (README, "What bounds each figure"). PostgreSQL 17 or later; before 17 leave this line
-- out, and autovacuum alone frees the table's space.
GRANT MAINTAIN ON log_tile_part TO custody_app;
GRANT UPDATE (valid_until) ON log_key TO custody_app;
GRANT SELECT, UPDATE (size, root) ON log_head TO custody_app;
-- Liquibase's record of the change sets applied, read only: a service whose jar is newer than the schema then refuses
-- to start, naming `db migrate`, instead of failing on its first query that names a new column.
GRANT SELECT ON databasechangelog TO custody_app;
