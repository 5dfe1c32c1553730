package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// configPut sends a JSON body with PUT.
func configPut(t *testing.T, env *testEnv, path, body string) response {
	t.Helper()

	return env.do(t, http.MethodPut, path, "application/json", body, nil)
}

// configRequireUpdateRoute stops the test when the router does not route
// PUT /ehr/systems/:name to the update handler, which returns 400 for an
// empty body.
func configRequireUpdateRoute(t *testing.T, env *testEnv) {
	t.Helper()
	if r := configPut(t, env, "/ehr/systems/Athena", `{}`); r.status != http.StatusBadRequest {
		t.Fatalf("PUT /ehr/systems/:name is not routed (status %d): Router must call a.registerSystemAPIRoutes(api)", r.status)
	}
}

func TestConfigSystemUpdateAPI(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	configRequireUpdateRoute(t, env)

	tests := []struct {
		name       string
		path       string
		body       string
		status     int
		wantFields []string
		wantText   []string
	}{
		{name: "valid update", path: "/ehr/systems/athena", status: http.StatusOK,
			body:     `{"name": "Athena", "family": "athena", "baseUrl": "/sim/athena/", "practiceId": "1959", "clientId": "intake", "secretEnv": "ATHENA_TEST_SECRET"}`,
			wantText: []string{`"practiceId":"1959"`, `"authKind":"oauth2_client_credentials"`, `"secretEnv":"ATHENA_TEST_SECRET"`, `"simulator":true`}},
		{name: "invalid settings", path: "/ehr/systems/Athena", status: http.StatusBadRequest,
			body:       `{"baseUrl": "ftp://ehr.example.org", "authKind": "magic", "secretEnv": "lower case", "options": ["x"], "mappingConfig": {}}`,
			wantFields: []string{"baseUrl", "authKind", "secretEnv", "options", "mappingConfig"}},
		{name: "name and family cannot change", path: "/ehr/systems/Athena", status: http.StatusBadRequest,
			body:       `{"name": "Other", "family": "rest", "baseUrl": "/sim/athena"}`,
			wantFields: []string{"name", "family"},
			wantText:   []string{"name cannot be changed"}},
		{name: "missing base URL in Spanish", path: "/ehr/systems/Athena", status: http.StatusBadRequest,
			body:       `{"practiceId": "1", "language": "es"}`,
			wantFields: []string{"baseUrl"},
			wantText:   []string{"baseUrl es obligatorio"}},
		{name: "unknown system", path: "/ehr/systems/Nowhere", status: http.StatusNotFound,
			body:     `{"baseUrl": "/sim/rest"}`,
			wantText: []string{`"error":"unknown_ehr"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := configPut(t, env, tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("%s: status %d, want %d: %s", tt.name, r.status, tt.status, r.raw)
			}
			fields := map[string]bool{}
			items, _ := r.json["fields"].([]any)
			for _, item := range items {
				fields[item.(map[string]any)["field"].(string)] = true
			}
			for _, field := range tt.wantFields {
				if !fields[field] {
					t.Errorf("%s: answer does not name field %s: %s", tt.name, field, r.raw)
				}
			}
			for _, text := range tt.wantText {
				if !strings.Contains(r.raw, text) {
					t.Errorf("%s: answer lacks %q: %s", tt.name, text, r.raw)
				}
			}
		})
	}

	entries := configAuditActions(t, env, "ehr_system.update")
	if len(entries) != 1 {
		t.Fatalf("audit entries of ehr_system.update: %d, want 1 (only the valid update)", len(entries))
	}
	details := configJSON(t, entries[0]["details"])
	if entries[0]["target"] != "Athena" || !strings.Contains(details, `"practiceId"`) || !strings.Contains(details, `"secretEnv"`) {
		t.Errorf("audit entry %v, want target Athena with the changed settings", entries[0])
	}
	if r := env.do(t, http.MethodPut, "/ehr/systems/Athena", "text/plain", "baseUrl=x", nil); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("a form body: status %d, want 415", r.status)
	}
}

func TestConfigSystemUpdateReachesNextSend(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	configRequireUpdateRoute(t, env)
	send := sample(t, "full-en.json")
	if r := env.postJSON(t, "/ehr/send-patient-data", send); r.status != http.StatusOK {
		t.Fatalf("send before the update: status %d: %s", r.status, r.raw)
	}

	r := configPut(t, env, "/ehr/systems/Athena", `{"baseUrl": "/sim/athena", "practiceId": "777", "clientId": "ehrbridge"}`)
	if r.status != http.StatusOK {
		t.Fatalf("update: status %d: %s", r.status, r.raw)
	}
	if r := env.postJSON(t, "/ehr/send-patient-data", send); r.status != http.StatusOK {
		t.Fatalf("send after the update: status %d: %s", r.status, r.raw)
	}
	newest := env.app.Simulator.Patients("athena")
	var paths []string
	for _, patient := range newest {
		paths = append(paths, patient.Calls[0].Path)
	}
	if !strings.Contains(strings.Join(paths, " "), "/athena/v1/777/patients") {
		t.Errorf("no send used the new practice id 777; identity calls went to %v", paths)
	}
}
