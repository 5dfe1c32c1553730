package app_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestIdempotencyKeyReplaysFirstAnswer(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	body := sample(t, "full-en.json")
	headers := map[string]string{"Idempotency-Key": "intake-7781"}

	first := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, headers)
	second := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, headers)

	if first.status != http.StatusOK || second.status != http.StatusOK {
		t.Fatalf("statuses %d and %d, want 200 twice: %s", first.status, second.status, second.raw)
	}
	if first.raw != second.raw {
		t.Errorf("replayed answer differs:\nfirst  %s\nsecond %s", first.raw, second.raw)
	}
	if second.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("second answer lacks Idempotent-Replayed: true")
	}
	if patients := env.app.Simulator.Patients("athena"); len(patients) != 1 {
		t.Errorf("simulator holds %d athena patients, want 1", len(patients))
	}

	changed := strings.Replace(body, `"Divorced"`, `"Married"`, 1)
	conflict := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", changed, headers)
	if conflict.status != http.StatusConflict || conflict.json["error"] != "idempotency_conflict" {
		t.Errorf("same key, other body: %d %s, want 409 idempotency_conflict", conflict.status, conflict.raw)
	}
}

func TestIdempotencyKeyTooLong(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	headers := map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}

	r := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", sample(t, "full-en.json"), headers)
	if r.status != http.StatusBadRequest {
		t.Errorf("status %d, want 400: %s", r.status, r.raw)
	}
}
