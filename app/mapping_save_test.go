package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const simpleMapping = `{
  "ehrName": "Athena",
  "mappingConfig": {
    "patient": {
      "firstName": "PATIENT_FIRST_NAME",
      "lastName": "PATIENT_LAST_NAME",
      "age": "AGE_PATIENT",
      "gender": "GENDER_OF_PATIENT",
      "contact.email": "PATIENT_EMAIL_ID",
      "contact.phone": "TELEPHONE_NUMBER_PATIENT"
    }
  }
}`

func TestGetMappingIgnoresCase(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	for _, name := range []string{"Athena", "athena", "ATHENA"} {
		r := env.get(t, "/ehr/mapping/"+name)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d: %s", name, r.status, r.raw)
			continue
		}
		if r.json["ehrName"] != "Athena" || r.json["version"] != float64(1) {
			t.Errorf("%s: answer %v, want Athena version 1", name, r.json)
		}
	}
	if r := env.get(t, "/ehr/mapping/Nowhere"); r.status != http.StatusNotFound {
		t.Errorf("unknown EHR: status %d, want 404", r.status)
	}
}

func TestSaveSimpleMappingCreatesVersion(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	saved := env.postJSON(t, "/ehr/save-mapping", simpleMapping)
	if saved.status != http.StatusCreated {
		t.Fatalf("save: status %d: %s", saved.status, saved.raw)
	}
	if saved.json["version"] != float64(2) {
		t.Errorf("saved version %v, want 2", saved.json["version"])
	}

	versions := env.get(t, "/ehr/mapping/Athena/versions")
	if got := len(versions.json["versions"].([]any)); got != 2 {
		t.Errorf("%d versions listed, want 2", got)
	}
	old := env.get(t, "/ehr/mapping/Athena/versions/1")
	if old.status != http.StatusOK || old.json["version"] != float64(1) {
		t.Errorf("version 1: %d %s", old.status, old.raw)
	}
	if r := env.get(t, "/ehr/mapping/Athena/versions/9"); r.status != http.StatusNotFound {
		t.Errorf("missing version: status %d, want 404", r.status)
	}

	// The next send uses the new version: only the patient endpoint.
	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if r.status != http.StatusOK {
		t.Fatalf("send: %d %s", r.status, r.raw)
	}
	if r.json["mappingVersion"] != float64(2) {
		t.Errorf("send used mapping version %v, want 2", r.json["mappingVersion"])
	}
	statuses := endpointStatuses(t, r)
	if len(statuses) != 1 || statuses["patient"] != "succeeded" {
		t.Errorf("endpoints %v, want only patient", statuses)
	}
	unsent := fmt.Sprint(r.json["unsentFields"])
	for _, field := range []string{"allergies", "contact.address", "insuranceProvider", "medicalHistory"} {
		if !strings.Contains(unsent, field) {
			t.Errorf("unsentFields %s lacks %s", unsent, field)
		}
	}
	patientID := r.json["ehrPatientId"].(string)
	record, _ := env.app.Simulator.Patient("athena", patientID)
	if len(record.Calls) != 1 || len(record.Calls[0].Fields) != 6 {
		t.Errorf("simulator calls %+v, want one call with 6 fields", record.Calls)
	}
}

func TestSaveInvalidMapping(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	cases := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"unknown source", `{"ehrName":"Athena","mappingConfig":{"patient":{"shoeSize":"SHOE"}}}`, 400, "mappingConfig.endpoints[0].fields[0].source"},
		{"missing mappingConfig", `{"ehrName":"Athena"}`, 400, "mappingConfig"},
		{"mappingConfig not object", `{"ehrName":"Athena","mappingConfig":[]}`, 400, "mappingConfig"},
		{"unknown EHR", `{"ehrName":"Nowhere","mappingConfig":{"patient":{"firstName":"F"}}}`, 404, ""},
		{"bad template", `{"ehrName":"Athena","mappingConfig":{"endpoints":[{"name":"patient","path":"/p","identifiesPatient":true,"fields":[{"source":"name","target":"N","transform":{"type":"template","template":"{lastName"}}]}]}}`, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := env.postJSON(t, "/ehr/save-mapping", tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if tc.field != "" && !fieldNamesWithPrefix(r, tc.field) {
				t.Errorf("fields %v do not name %s", fieldNames(r), tc.field)
			}
		})
	}
	if r := env.get(t, "/ehr/mapping/Athena"); r.json["version"] != float64(1) {
		t.Errorf("current version %v after rejected saves, want 1", r.json["version"])
	}
}

// fieldNamesWithPrefix reports whether any field error path starts with prefix.
func fieldNamesWithPrefix(r response, prefix string) bool {
	for field := range fieldNames(r) {
		if len(field) >= len(prefix) && field[:len(prefix)] == prefix {
			return true
		}
	}

	return false
}

func TestRollbackMappingSavesOldVersion(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.postJSON(t, "/ehr/save-mapping", simpleMapping)

	r := env.postJSON(t, "/ehr/mapping/athena/rollback/1", "")
	if r.status != http.StatusCreated || r.json["version"] != float64(3) {
		t.Fatalf("rollback: %d %s, want 201 version 3", r.status, r.raw)
	}
	current := env.get(t, "/ehr/mapping/Athena")
	endpoints := current.json["mappingConfig"].(map[string]any)["endpoints"].([]any)
	if current.json["version"] != float64(3) || len(endpoints) != 5 {
		t.Errorf("current mapping after rollback: version %v with %d endpoints, want 3 with 5", current.json["version"], len(endpoints))
	}
	send := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if got := len(endpointStatuses(t, send)); got != 5 {
		t.Errorf("send after rollback reached %d endpoints, want 5", got)
	}
	if unsent, _ := send.json["unsentFields"].([]any); len(unsent) != 0 {
		t.Errorf("unsentFields %v, want none with the default mapping", unsent)
	}

	for path, status := range map[string]int{
		"/ehr/mapping/athena/rollback/9":  http.StatusNotFound,
		"/ehr/mapping/athena/rollback/x":  http.StatusBadRequest,
		"/ehr/mapping/nowhere/rollback/1": http.StatusNotFound,
	} {
		if r := env.postJSON(t, path, ""); r.status != status {
			t.Errorf("%s: status %d, want %d", path, r.status, status)
		}
	}
	audit := env.get(t, "/ehr/audit-log?action=mapping.rollback")
	if got := len(audit.json["entries"].([]any)); got != 1 {
		t.Errorf("%d rollback audit entries, want 1", got)
	}
}
