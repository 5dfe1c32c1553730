package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestRateLimitPerKey(t *testing.T) {
	env := setupProduction(t, map[string]string{"RATE_LIMIT_PER_KEY": "1"})
	first, second := env.createAPIKey(t, "read"), env.createAPIKey(t, "read")

	var statuses []int
	var limited response
	for range 4 {
		limited = env.do(t, http.MethodGet, "/ehr/queue/status", "", "", bearer(first))
		statuses = append(statuses, limited.status)
	}
	if limited.status != http.StatusTooManyRequests {
		t.Fatalf("statuses %v, want the last one 429 past a burst of 2", statuses)
	}
	if seconds, err := strconv.Atoi(limited.header.Get("Retry-After")); err != nil || seconds < 1 {
		t.Errorf("Retry-After %q, want whole seconds", limited.header.Get("Retry-After"))
	}
	if limited.json["error"] != "rate_limited" {
		t.Errorf("429 body %s, want error rate_limited", limited.raw)
	}

	if other := env.do(t, http.MethodGet, "/ehr/queue/status", "", "", bearer(second)); other.status != http.StatusOK {
		t.Errorf("second key: status %d, want 200: keys share no bucket", other.status)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	env := setupProduction(t, map[string]string{"RATE_LIMIT_PER_IP": "1"})

	var last response
	for range 4 {
		last = env.get(t, "/login")
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("fourth anonymous request: %d, Retry-After %q; want 429", last.status, last.header.Get("Retry-After"))
	}
	if health := env.get(t, "/health"); health.status == http.StatusTooManyRequests {
		t.Errorf("health check rate limited")
	}
}

func TestBodyTooLargeInProduction(t *testing.T) {
	env := setupProduction(t, map[string]string{"MAX_REQUEST_BYTES": "1024", "MAX_BULK_REQUEST_BYTES": "65536"})
	key := env.createAPIKey(t, "send")
	big := `{"ehrName":"Athena","patientData":{"firstName":"` + strings.Repeat("a", 2000) + `"}}`

	answer := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", big, bearer(key))
	if answer.status != http.StatusRequestEntityTooLarge || answer.json["error"] != "body_too_large" {
		t.Fatalf("2 KB send: %d %s, want 413 body_too_large", answer.status, answer.raw)
	}

	bulk := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", "application/json", `{"ehrName":"Athena","patients":[`+big[len(`{"ehrName":"Athena","patientData":`):len(big)-1]+`]}`, bearer(key))
	if bulk.status == http.StatusRequestEntityTooLarge {
		t.Errorf("2 KB bulk send under MAX_BULK_REQUEST_BYTES: 413")
	}
}
