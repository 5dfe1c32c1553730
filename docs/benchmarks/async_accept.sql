-- The writes of one accepted asynchronous send, for pgbench: the
-- transaction row with a sealed payload of about 1.4 KB, its five ledger
-- rows and its queue job, committed together. Run against a database that
-- ehrbridge has migrated (EHR system 1 with mapping version 1 exists).
\set n random(1, 1000000000)
BEGIN;
INSERT INTO transactions (id, ehr_system_id, ehr_name, mode, status, mapping_version, language, payload)
VALUES (gen_random_uuid(), 1, 'Athena', 'async', 'queued', 1, 'en',
        decode(repeat(md5(:n::text), 44), 'hex'))
RETURNING id \gset txn_
INSERT INTO transaction_endpoints (transaction_id, endpoint, position, identifies_patient, status)
SELECT ':txn_id', 'endpoint_' || p, p, p = 0, 'pending' FROM generate_series(0, 4) AS p;
INSERT INTO river_job (args, kind, max_attempts, queue, state)
VALUES (jsonb_build_object('transaction_id', ':txn_id', 'round', 0), 'pgbench_accept', 10, 'pgbench', 'available');
COMMIT;
