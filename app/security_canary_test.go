package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"ehrbridge/app/seal"
	"ehrbridge/ehr/sim"
)

// canaryValues replace every identifying and clinical value of the full
// sample, so a search for them finds any leak of patient data.
var canaryValues = map[string]string{
	"Elena":                                "Qzcanaryfirst",
	"Vasquez-Moore":                        "Qzcanarylast",
	"elena.vm@example.org":                 "qzcanarymail@example.org",
	"+1 415 555 0142":                      "+1 415 555 0199",
	"12 Harbor View Rd, Oakland, CA 94607": "Qzcanarystreet 1",
	"Penicillin":                           "Qzcanaryallergy",
	"Levothyroxine 50mcg daily":            "Qzcanarymedication",
	"Intermittent chest tightness":         "Qzcanarysymptom",
	"Hypothyroidism (2009); hyperlipidemia (2016); cholecystectomy (2012)": "Qzcanaryhistory",
	"Tomas Moore": "Qzcanarycontact",
	"KP-88412093": "QZCANARYPOLICY",
}

// canaryBody is the full sample with the canary values.
func canaryBody(t *testing.T) string {
	t.Helper()
	body := sample(t, "full-en.json")
	for original, canary := range canaryValues {
		if !strings.Contains(body, original) {
			t.Fatalf("sample lacks %q", original)
		}
		body = strings.ReplaceAll(body, original, canary)
	}

	return body
}

// findCanaries lists the canary values found in text, case-insensitively.
func findCanaries(text string) []string {
	lower := strings.ToLower(text)
	var found []string
	for _, canary := range canaryValues {
		if strings.Contains(lower, strings.ToLower(canary)) {
			found = append(found, canary)
		}
	}

	return found
}

func TestCanaryPatientLeavesNoTrace(t *testing.T) {
	key, err := seal.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	env := setup(t, withEnv(map[string]string{"AUTH_REQUIRED": "true", "ENCRYPTION_KEY": key, "LOG_LEVEL": "debug"}))
	env.startWorkers(t)
	sender, reader := env.createAPIKey(t, "send"), env.createAPIKey(t, "admin")
	body := canaryBody(t)
	var answers []string
	send := func(path, request string) response {
		r := env.do(t, http.MethodPost, path, "application/json", request, bearer(sender))
		answers = append(answers, r.raw)
		return r
	}

	if r := send("/ehr/send-patient-data", body); r.status != http.StatusOK {
		t.Fatalf("sync send: %d %s", r.status, r.raw)
	}
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "familyhistory", Status: 422}); err != nil {
		t.Fatal(err)
	}
	if r := send("/ehr/send-patient-data", body); r.status != http.StatusMultiStatus {
		t.Fatalf("send with a failing endpoint: %d %s", r.status, r.raw)
	}
	invalid := strings.Replace(body, "qzcanarymail@example.org", "qzcanarymail-not-an-address", 1)
	if r := send("/ehr/send-patient-data", invalid); r.status != http.StatusBadRequest {
		t.Fatalf("invalid send: %d %s", r.status, r.raw)
	}
	accepted := send("/ehr/send-patient-data-async", body)
	if accepted.status != http.StatusAccepted {
		t.Fatalf("async send: %d %s", accepted.status, accepted.raw)
	}
	id, _ := accepted.json["transactionId"].(string)
	answers = append(answers, waitForDelivery(t, env, reader, id).raw)
	answers = append(answers, env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(reader)).raw)
	answers = append(answers, env.do(t, http.MethodGet, "/ehr/audit-log", "", "", bearer(reader)).raw)
	metrics := env.do(t, http.MethodGet, "/metrics", "", "", bearer(reader))
	if metrics.status != http.StatusOK {
		t.Fatalf("metrics scrape: %d", metrics.status)
	}

	for name, text := range map[string]string{
		"responses":     strings.Join(answers, "\n"),
		"metrics":       metrics.raw,
		"logs":          env.logs.String(),
		"stored tables": storedText(t, env),
	} {
		if found := findCanaries(text); len(found) > 0 {
			t.Errorf("%s contain patient values %v", name, found)
		}
	}
}

// waitForDelivery polls a transaction with an API key until it is final.
func waitForDelivery(t *testing.T, env *testEnv, key, id string) response {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		r := env.do(t, http.MethodGet, "/ehr/transactions/"+id, "", "", bearer(key))
		if status, _ := r.json["status"].(string); status != "queued" && status != "processing" && status != "" {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("transaction %s not delivered in time", id)

	return response{}
}

// storedText is every text column ehrbridge writes about sends, as one
// string: payloads, ledger rows, audit entries and queue job arguments.
func storedText(t *testing.T, env *testEnv) string {
	t.Helper()
	queries := []string{
		"SELECT coalesce(string_agg(encode(coalesce(payload, ''::bytea), 'escape') || encode(coalesce(response, ''::bytea), 'escape') || last_error || ehr_patient_id, ' '), '') FROM transactions",
		"SELECT coalesce(string_agg(error_code || error_reason || ehr_reference, ' '), '') FROM transaction_endpoints",
		"SELECT coalesce(string_agg(actor || action || target || details::text, ' '), '') FROM audit_log",
		"SELECT coalesce(string_agg(args::text || coalesce(array_to_string(errors, ' '), ''), ' '), '') FROM river_job",
	}
	var all strings.Builder
	for _, query := range queries {
		var text string
		if err := env.app.Store.DB.WithContext(context.Background()).Raw(query).Scan(&text).Error; err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		all.WriteString(text)
	}

	return all.String()
}
