-- EHR systems: connection settings per configured EHR. Secrets are never
-- stored; secret_env names the environment variable that holds one.
CREATE TABLE ehr_systems (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL CHECK (name ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
    family      text        NOT NULL,
    base_url    text        NOT NULL DEFAULT '',
    practice_id text        NOT NULL DEFAULT '',
    auth_kind   text        NOT NULL,
    client_id   text        NOT NULL DEFAULT '',
    secret_env  text        NOT NULL DEFAULT '',
    options     jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ehr_systems_name_key ON ehr_systems (lower(name));

-- Mapping versions: immutable once written; saving inserts version n+1.
CREATE TABLE mappings (
    ehr_system_id bigint      NOT NULL REFERENCES ehr_systems (id) ON DELETE CASCADE,
    version       integer     NOT NULL CHECK (version > 0),
    config        jsonb       NOT NULL,
    comment       text        NOT NULL DEFAULT '',
    created_by    text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ehr_system_id, version)
);

CREATE FUNCTION mappings_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'mapping versions are immutable; save a new version instead';
END;
$$;
CREATE TRIGGER mappings_immutable BEFORE UPDATE ON mappings
    FOR EACH ROW EXECUTE FUNCTION mappings_reject_update();

-- Transactions: one send of one patient to one EHR.
CREATE TABLE transactions (
    id              uuid        PRIMARY KEY,
    ehr_system_id   bigint      NOT NULL REFERENCES ehr_systems (id),
    ehr_name        text        NOT NULL,
    mode            text        NOT NULL CHECK (mode IN ('sync', 'async', 'bulk')),
    status          text        NOT NULL CHECK (status IN ('queued', 'processing', 'succeeded', 'partially_failed', 'failed', 'dead')),
    mapping_version integer     NOT NULL,
    idempotency_key text,
    request_hash    bytea,
    ehr_patient_id  text        NOT NULL DEFAULT '',
    language        text        NOT NULL DEFAULT 'en',
    attempts        integer     NOT NULL DEFAULT 0,
    payload         bytea       NOT NULL,
    response_status integer,
    response        bytea,
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    FOREIGN KEY (ehr_system_id, mapping_version) REFERENCES mappings (ehr_system_id, version)
);
CREATE UNIQUE INDEX transactions_idempotency_key ON transactions (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX transactions_ehr_id ON transactions (ehr_system_id, id DESC);
CREATE INDEX transactions_status_id ON transactions (status, id DESC);
CREATE INDEX transactions_created_at ON transactions (created_at);

-- The per-endpoint ledger of a transaction.
CREATE TABLE transaction_endpoints (
    transaction_id     uuid        NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
    endpoint           text        NOT NULL,
    position           integer     NOT NULL,
    identifies_patient boolean     NOT NULL DEFAULT false,
    status             text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'unknown', 'skipped')),
    http_status        integer,
    ehr_reference      text        NOT NULL DEFAULT '',
    duration_ms        integer,
    error_code         text        NOT NULL DEFAULT '',
    error_reason       text        NOT NULL DEFAULT '',
    attempts           integer     NOT NULL DEFAULT 0,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, endpoint)
);
