package app_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthReportsDatabase(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.get(t, "/health")
	if r.status != http.StatusOK || r.json["status"] != "ok" {
		t.Fatalf("health: %d %s", r.status, r.raw)
	}
	if r.json["version"] == "" {
		t.Errorf("health has no version: %s", r.raw)
	}

	env.cutDatabase(t)
	down := env.get(t, "/health")
	if down.status != http.StatusServiceUnavailable || down.json["status"] != "down" {
		t.Errorf("health with the database closed: %d %s, want 503 down", down.status, down.raw)
	}
	send := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if send.status != http.StatusServiceUnavailable {
		t.Errorf("sync send with the database closed: %d %s, want 503", send.status, send.raw)
	}
}

func TestHomePageRenders(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	for lang, want := range map[string]string{"en": "lang=\"en\"", "es": "lang=\"es\""} {
		r := env.get(t, "/?lang="+lang)
		if r.status != http.StatusOK {
			t.Fatalf("home %s: %d", lang, r.status)
		}
		for _, text := range []string{want, `href="/transactions"`, "/static/", "htmx.min.js"} {
			if !strings.Contains(r.raw, text) {
				t.Errorf("home %s lacks %q", lang, text)
			}
		}
		if strings.Contains(r.raw, "page.") {
			t.Errorf("home %s shows an untranslated key", lang)
		}
	}
	if r := env.get(t, "/"); r.header.Get("Content-Security-Policy") == "" {
		t.Errorf("home has no Content-Security-Policy header")
	}
}

func TestStaticAssetsAreCached(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	home := env.get(t, "/")
	start := strings.Index(home.raw, "/static/")
	end := strings.Index(home.raw[start:], "\"")
	path := home.raw[start : start+end]

	r := env.get(t, path)
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d", path, r.status)
	}
	if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s Cache-Control %q, want immutable", path, r.header.Get("Cache-Control"))
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	env := setup(t, map[string]string{"MAX_REQUEST_BYTES": "2048"})
	body := `{"ehrName":"Athena","patientData":{"medicalHistory":"` + strings.Repeat("x", 4096) + `"}}`

	r := env.postJSON(t, "/ehr/send-patient-data", body)
	if r.status != http.StatusRequestEntityTooLarge || r.json["error"] != "body_too_large" {
		t.Errorf("status %d %s, want 413 body_too_large", r.status, r.raw)
	}
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.get(t, "/ehr/nothing-here")
	if r.status != http.StatusNotFound || r.json["error"] != "route_not_found" {
		t.Errorf("status %d %s, want 404 route_not_found", r.status, r.raw)
	}
}

func TestLogsHoldNoPatientData(t *testing.T) {
	t.Parallel()
	env := setup(t, map[string]string{"EHR_TIMEOUT": "500ms"})
	env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	env.postJSON(t, "/ehr/send-patient-data", sample(t, "invalid-es.json"))
	env.postJSON(t, "/ehr/send-patient-data", withEHR(t, sample(t, "full-en.json"), "allscripts"))
	env.postJSON(t, "/ehr/send-patient-data", `{"ehrName":"Elena Vasquez-Moore","patientData":{}}`)

	logs := env.logs.String()
	if logs == "" {
		t.Fatalf("no logs captured")
	}
	for _, canary := range []string{"Elena", "Vasquez", "elena.vm@example.org", "415 555 0142", "Penicillin", "Hypothyroidism", "Ortega", "not-an-email", "KP-88412093"} {
		if strings.Contains(logs, canary) {
			t.Errorf("logs contain patient data %q", canary)
		}
	}
}
