-- A bulk send with an Idempotency-Key gives each accepted patient the key
-- "<key>#<index>"; replays find them by that prefix.
CREATE INDEX transactions_idempotency_key_prefix ON transactions (idempotency_key text_pattern_ops)
    WHERE idempotency_key IS NOT NULL;
