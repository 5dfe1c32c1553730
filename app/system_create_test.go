package app_test

import (
	"net/http"
	"testing"
)

func TestCreateRESTSystemAndSend(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	created := env.postJSON(t, "/ehr/systems", `{"name":"ClinicREST","family":"rest","baseUrl":"/sim/rest"}`)
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	if created.json["simulator"] != true || created.json["authKind"] != "none" {
		t.Errorf("created system %v, want simulator true and auth none", created.json)
	}

	r := env.postJSON(t, "/ehr/send-patient-data", withEHR(t, sample(t, "full-en.json"), "clinicrest"))
	if r.status != http.StatusOK {
		t.Fatalf("send: %d %s", r.status, r.raw)
	}
	patientID := r.json["ehrPatientId"].(string)
	record, ok := env.app.Simulator.Patient("rest", patientID)
	if !ok || len(record.Calls) != 1 {
		t.Fatalf("simulator rest patient %q: %+v", patientID, record)
	}
	if got := record.Calls[0].Fields["email"]; got != "elena.vm@example.org" {
		t.Errorf("rest email field %q, want elena.vm@example.org", got)
	}

	list := env.get(t, "/ehr/systems")
	if got := len(list.json["systems"].([]any)); got != 3 {
		t.Errorf("%d systems listed, want 3", got)
	}
	duplicate := env.postJSON(t, "/ehr/systems", `{"name":"clinicrest","family":"rest","baseUrl":"/sim/rest"}`)
	if duplicate.status != http.StatusConflict {
		t.Errorf("duplicate name: status %d, want 409", duplicate.status)
	}
}

func TestCreateSystemRejectsBadSettings(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	cases := []struct {
		name  string
		body  string
		field string
	}{
		{"bad name", `{"name":"has space","family":"rest","baseUrl":"http://ehr.test"}`, "name"},
		{"unknown family", `{"name":"X","family":"epic","baseUrl":"http://ehr.test"}`, "family"},
		{"relative URL", `{"name":"X","family":"rest","baseUrl":"ehr.test/api"}`, "baseUrl"},
		{"URL with query", `{"name":"X","family":"rest","baseUrl":"https://ehr.test/api?x=1"}`, "baseUrl"},
		{"bad auth kind", `{"name":"X","family":"rest","baseUrl":"https://ehr.test","authKind":"magic"}`, "authKind"},
		{"bad secret env", `{"name":"X","family":"rest","baseUrl":"https://ehr.test","secretEnv":"lower-case"}`, "secretEnv"},
		{"missing base URL", `{"name":"X","family":"rest"}`, "baseUrl"},
		{"bad mapping", `{"name":"X","family":"rest","baseUrl":"https://ehr.test","mappingConfig":{"endpoints":[]}}`, "mappingConfig"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := env.postJSON(t, "/ehr/systems", tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.raw)
			}
			if !fieldNamesWithPrefix(r, tc.field) {
				t.Errorf("fields %v do not name %s", fieldNames(r), tc.field)
			}
		})
	}
}
