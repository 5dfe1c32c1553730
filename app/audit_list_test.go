package app_test

import (
	"net/http"
	"testing"
)

func TestAuditLogRecordsChanges(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.postJSON(t, "/ehr/save-mapping", simpleMapping)
	env.postJSON(t, "/ehr/systems", `{"name":"ClinicREST","family":"rest","baseUrl":"/sim/rest"}`)
	env.postJSON(t, "/ehr/save-mapping", `{"ehrName":"Athena","mappingConfig":{"patient":{"shoeSize":"X"}}}`)

	r := env.get(t, "/ehr/audit-log")
	if r.status != http.StatusOK {
		t.Fatalf("audit log: %d %s", r.status, r.raw)
	}
	entries := r.json["entries"].([]any)
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2 (the rejected save is not a change): %s", len(entries), r.raw)
	}
	newest, oldest := entries[0].(map[string]any), entries[1].(map[string]any)
	if newest["action"] != "ehr_system.create" || newest["target"] != "ClinicREST" {
		t.Errorf("newest entry %v, want ehr_system.create of ClinicREST", newest)
	}
	if oldest["action"] != "mapping.save" || oldest["actor"] != "development" || oldest["requestId"] == "" {
		t.Errorf("oldest entry %v, want mapping.save by the development caller with a request id", oldest)
	}
	if details := oldest["details"].(map[string]any); details["version"] != float64(2) {
		t.Errorf("mapping.save details %v, want version 2", details)
	}

	filtered := env.get(t, "/ehr/audit-log?action=mapping.save&limit=1")
	if got := len(filtered.json["entries"].([]any)); got != 1 || filtered.json["nextCursor"] != nil {
		t.Errorf("filtered: %s", filtered.raw)
	}
	if r := env.get(t, "/ehr/audit-log?cursor=x"); r.status != http.StatusBadRequest {
		t.Errorf("bad cursor: %d, want 400", r.status)
	}
	if _, err := env.app.Store.Pool.Exec(t.Context(), "DELETE FROM audit_log"); err == nil {
		t.Errorf("deleting audit rows succeeded, want the append-only trigger to reject it")
	}
}
