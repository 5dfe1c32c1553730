package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// fastQueue makes retries and polling quick enough for tests.
var fastQueue = map[string]string{
	"QUEUE_POLL_INTERVAL":    "50ms",
	"QUEUE_RETRY_BASE_DELAY": "50ms",
	"QUEUE_RETRY_MAX_DELAY":  "200ms",
	"EHR_TIMEOUT":            "2s",
}

// withEnv returns fastQueue with extra variables added.
func withEnv(extra map[string]string) map[string]string {
	env := map[string]string{}
	for key, value := range fastQueue {
		env[key] = value
	}
	for key, value := range extra {
		env[key] = value
	}

	return env
}

// startWorkers starts the app's queue workers until the test ends.
func (env *testEnv) startWorkers(t *testing.T) {
	t.Helper()
	if err := env.app.StartWorkers(context.Background()); err != nil {
		t.Fatalf("StartWorkers: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := env.app.StopWorkers(ctx); err != nil {
			t.Errorf("StopWorkers: %v", err)
		}
	})
}

// waitForStatus polls a transaction until it has one of the wanted
// statuses, and returns its detail.
func (env *testEnv) waitForStatus(t *testing.T, id string, wanted ...string) response {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last response
	for time.Now().Before(deadline) {
		last = env.get(t, "/ehr/transactions/"+id)
		for _, status := range wanted {
			if last.json["status"] == status {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("transaction %s did not reach %v: %s", id, wanted, last.raw)

	return last
}

// ledgerByEndpoint maps each ledger row of a transaction detail by name.
func ledgerByEndpoint(r response) map[string]map[string]any {
	out := map[string]map[string]any{}
	rows, _ := r.json["endpoints"].([]any)
	for _, row := range rows {
		entry := row.(map[string]any)
		out[entry["endpoint"].(string)] = entry
	}

	return out
}

func (env *testEnv) sendAsync(t *testing.T, body string) response {
	t.Helper()
	r := env.postJSON(t, "/ehr/send-patient-data-async", body)
	if r.status != http.StatusAccepted {
		t.Fatalf("async send: status %d, want 202: %s", r.status, r.raw)
	}

	return r
}
