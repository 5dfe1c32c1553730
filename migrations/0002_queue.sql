-- The River job that delivers an asynchronous transaction, and whether an
-- endpoint's last failure may succeed on a later attempt. Automatic
-- retries send only endpoints that are pending or failed retryably.
ALTER TABLE transactions ADD COLUMN job_id bigint;
CREATE INDEX transactions_job_id ON transactions (job_id) WHERE job_id IS NOT NULL;

ALTER TABLE transaction_endpoints ADD COLUMN retryable boolean NOT NULL DEFAULT false;
