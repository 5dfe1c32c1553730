-- The writes of one delivered five-endpoint transaction, for pgbench: the
-- job fetched and marked running, five ledger updates, the transaction's
-- final status and the job completed, each in its own commit as the worker
-- makes them. Uses the rows async_accept.sql left behind.
\set n random(1, 1000000000)
UPDATE river_job SET state = 'running', attempt = attempt + 1, attempted_at = now()
WHERE id = (SELECT id FROM river_job WHERE state = 'available' AND queue = 'pgbench'
            ORDER BY priority, scheduled_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id AS job_id, args->>'transaction_id' AS txn_id \gset
UPDATE transactions SET status = 'processing', attempts = attempts + 1, updated_at = now() WHERE id = ':txn_id';
UPDATE transaction_endpoints SET status = 'succeeded', http_status = 200, attempts = attempts + 1, updated_at = now() WHERE transaction_id = ':txn_id' AND position = 0;
UPDATE transaction_endpoints SET status = 'succeeded', http_status = 200, attempts = attempts + 1, updated_at = now() WHERE transaction_id = ':txn_id' AND position = 1;
UPDATE transaction_endpoints SET status = 'succeeded', http_status = 200, attempts = attempts + 1, updated_at = now() WHERE transaction_id = ':txn_id' AND position = 2;
UPDATE transaction_endpoints SET status = 'succeeded', http_status = 200, attempts = attempts + 1, updated_at = now() WHERE transaction_id = ':txn_id' AND position = 3;
UPDATE transaction_endpoints SET status = 'succeeded', http_status = 200, attempts = attempts + 1, updated_at = now() WHERE transaction_id = ':txn_id' AND position = 4;
UPDATE transactions SET status = 'succeeded', completed_at = now(), updated_at = now() WHERE id = ':txn_id';
UPDATE river_job SET state = 'completed', finalized_at = now() WHERE id = :job_id;
