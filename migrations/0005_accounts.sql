-- Accounts of the admin UI. password_hash is a bcrypt hash; a disabled
-- account cannot sign in and its sessions end.
CREATE TABLE users (
    id            bigserial   PRIMARY KEY,
    username      text        NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    last_login_at timestamptz
);
CREATE UNIQUE INDEX users_username_key ON users (username);

-- Signed-in browser sessions. Only the SHA-256 hash of the cookie's token
-- is stored, so a copy of this table cannot be used to sign in.
CREATE TABLE sessions (
    token_hash   bytea       PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    client_ip    text        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- API keys of JSON API clients. A key reads "ehrb_<key_id>_<secret>";
-- only the SHA-256 hash of the whole key is stored.
CREATE TABLE api_keys (
    id           bigserial   PRIMARY KEY,
    key_id       text        NOT NULL UNIQUE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    secret_hash  bytea       NOT NULL,
    scopes       text        NOT NULL CHECK (scopes ~ '^(send|read|admin)(,(send|read|admin))*$'),
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Who acted from where, searchable by actor and by target.
ALTER TABLE audit_log ADD COLUMN client_ip text NOT NULL DEFAULT '';
CREATE INDEX audit_log_actor ON audit_log (actor, id DESC);
CREATE INDEX audit_log_target ON audit_log (target, id DESC);

-- Payloads are purged after the retention period; the metadata stays.
ALTER TABLE transactions ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE transactions ADD COLUMN payload_purged_at timestamptz;
CREATE INDEX transactions_payload_kept ON transactions (created_at)
    WHERE payload IS NOT NULL;
