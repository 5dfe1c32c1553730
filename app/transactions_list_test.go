package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"ehrbridge/ehr/sim"
)

func minimalPatient(ehrName string, n int) string {
	return fmt.Sprintf(`{"ehrName":%q,"patientData":{"firstName":"Test%d","lastName":"Patient","age":40,"gender":"other","contact":{"email":"t%d@example.com","phone":"555-010-0000"}}}`, ehrName, n, n)
}

func TestListTransactionsPaginates(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	var sent []string
	for i := range 5 {
		r := env.postJSON(t, "/ehr/send-patient-data", minimalPatient("Athena", i))
		if r.status != http.StatusOK {
			t.Fatalf("send %d: %d %s", i, r.status, r.raw)
		}
		sent = append(sent, r.json["transactionId"].(string))
	}

	var listed []string
	path := "/ehr/transactions?limit=2"
	for page := 0; page < 4 && path != ""; page++ {
		r := env.get(t, path)
		if r.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", page, r.status, r.raw)
		}
		for _, item := range r.json["transactions"].([]any) {
			listed = append(listed, item.(map[string]any)["id"].(string))
		}
		path = ""
		if cursor, ok := r.json["nextCursor"].(string); ok {
			path = "/ehr/transactions?limit=2&cursor=" + cursor
		}
	}

	if len(listed) != len(sent) {
		t.Fatalf("listed %d transactions over pages, want %d", len(listed), len(sent))
	}
	for i := range sent {
		if listed[i] != sent[len(sent)-1-i] {
			t.Errorf("listed[%d] = %s, want %s (newest first)", i, listed[i], sent[len(sent)-1-i])
		}
	}
}

func TestListTransactionsFilters(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.postJSON(t, "/ehr/send-patient-data", minimalPatient("Athena", 1))
	env.postJSON(t, "/ehr/send-patient-data", minimalPatient("Allscripts", 2))
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Status: 503}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.postJSON(t, "/ehr/send-patient-data", minimalPatient("Athena", 3))

	today := time.Now().UTC().Format(time.DateOnly)
	cases := []struct {
		query string
		count int
	}{
		{"ehrName=athena", 2},
		{"ehrName=Allscripts", 1},
		{"status=succeeded", 2},
		{"status=success", 2},
		{"status=failed", 1},
		{"ehrName=Athena&status=failed", 1},
		{"from=2000-01-01", 3},
		{"to=2000-01-01", 0},
		{"from=" + today + "&to=" + today, 3},
	}
	for _, tc := range cases {
		r := env.get(t, "/ehr/transactions?"+tc.query)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d: %s", tc.query, r.status, r.raw)
			continue
		}
		if got := len(r.json["transactions"].([]any)); got != tc.count {
			t.Errorf("%s: %d transactions, want %d", tc.query, got, tc.count)
		}
	}

	for _, query := range []string{"status=lost", "limit=0", "limit=x", "cursor=nope", "from=yesterday", "from=2026-02-02&to=2026-02-01"} {
		if r := env.get(t, "/ehr/transactions?"+query); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", query, r.status)
		}
	}
	if r := env.get(t, "/ehr/transactions?ehrName=Nowhere"); r.status != http.StatusNotFound {
		t.Errorf("unknown ehrName: status %d, want 404", r.status)
	}
}

func TestGetTransactionWithLedger(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	sent := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	id := sent.json["transactionId"].(string)

	r := env.get(t, "/ehr/transactions/"+id)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	ledger := r.json["endpoints"].([]any)
	if len(ledger) != 5 {
		t.Fatalf("ledger has %d rows, want 5", len(ledger))
	}
	first := ledger[0].(map[string]any)
	if first["endpoint"] != "patient_demographics" || first["identifiesPatient"] != true {
		t.Errorf("first ledger row %v, want the identity endpoint", first)
	}
	for _, row := range ledger {
		entry := row.(map[string]any)
		if entry["status"] != "succeeded" || entry["attempts"] != float64(1) {
			t.Errorf("ledger row %v, want succeeded after 1 attempt", entry)
		}
		if reference, _ := entry["ehrReference"].(string); reference == "" {
			t.Errorf("ledger row %v has no EHR reference; the athena simulator returns one", entry)
		}
	}
	if r.json["mappingVersion"] != float64(1) || r.json["mode"] != "sync" {
		t.Errorf("detail %v, want mapping version 1 and mode sync", r.json)
	}

	for _, missing := range []string{"0190d5e4-0000-7000-8000-000000000000", "not-a-uuid"} {
		if r := env.get(t, "/ehr/transactions/"+missing); r.status != http.StatusNotFound {
			t.Errorf("transaction %s: status %d, want 404", missing, r.status)
		}
	}
}
