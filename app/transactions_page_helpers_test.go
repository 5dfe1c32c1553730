package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ehrbridge/app/store"
	"ehrbridge/ehr/sim"
)

// untranslatedKey finds a locale key printed instead of its message.
var untranslatedKey = regexp.MustCompile(`page\.[a-z_]+\.[a-z_.]+`)

// patientDataInFullSample are values of testdata/full-en.json that pages
// other than the simulator inbox must never show.
var patientDataInFullSample = []string{
	"Elena", "Vasquez-Moore", "elena.vm@example.org", "555 0142", "Harbor View", "Penicillin",
	"Levothyroxine", "chest tightness", "Hypothyroidism", "Tomas Moore", "KP-88412093", "Amal Haddad",
}

// pageCase is one page request with the text its response must and must
// not contain.
type pageCase struct {
	name      string
	path      string
	status    int
	expected  []string
	forbidden []string
}

// checkPage requests a page and checks its status, its expected and
// forbidden texts, and that no locale key was left untranslated.
func checkPage(t *testing.T, env *testEnv, tc pageCase) response {
	t.Helper()
	r := env.get(t, tc.path)
	if r.status != tc.status {
		t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.status)
	}
	for _, text := range tc.expected {
		if !strings.Contains(r.raw, text) {
			t.Errorf("%s: page lacks %q", tc.name, text)
		}
	}
	for _, text := range tc.forbidden {
		if strings.Contains(r.raw, text) {
			t.Errorf("%s: page contains %q", tc.name, text)
		}
	}
	if key := untranslatedKey.FindString(r.raw); key != "" {
		t.Errorf("%s: page shows the untranslated key %s", tc.name, key)
	}

	return r
}

// inSpanish adds ?lang=es to a path.
func inSpanish(path string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=es"
	}

	return path + "?lang=es"
}

// postForm sends a form to an admin page the way a browser without
// JavaScript does: with the CSRF cookie of an earlier page view and the
// token in the _csrf field. It does not follow redirects.
func (env *testEnv) postForm(t *testing.T, path string, form url.Values) response {
	t.Helper()
	token := env.csrfToken(t)
	form.Set("_csrf", token)
	req, err := http.NewRequest(http.MethodPost, env.server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "ehrbridge_csrf", Value: token})

	return sendWithoutRedirect(t, req)
}

// csrfToken reads the CSRF cookie the admin UI sets on a page view.
func (env *testEnv) csrfToken(t *testing.T) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.server.URL+"/cache", nil)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	r := sendWithoutRedirect(t, req)
	for _, cookie := range (&http.Response{Header: r.header}).Cookies() {
		if cookie.Name == "ehrbridge_csrf" && cookie.Value != "" {
			return cookie.Value
		}
	}
	t.Fatalf("GET /cache set no CSRF cookie (status %d)", r.status)

	return ""
}

// getWithoutRedirect requests a page and returns its response even when it
// is a redirect.
func (env *testEnv) getWithoutRedirect(t *testing.T, path string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.server.URL+path, nil)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}

	return sendWithoutRedirect(t, req)
}

func sendWithoutRedirect(t *testing.T, req *http.Request) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading answer of %s %s: %v", req.Method, req.URL.Path, err)
	}

	return response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
}

// sendPartiallyFailed sends the full sample synchronously while the
// simulator rejects its family history with a permanent 422, so the
// transaction ends partially_failed, and returns its id. The fault stays.
func (env *testEnv) sendPartiallyFailed(t *testing.T) string {
	t.Helper()
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: sim.SystemAthena, Match: "familyhistory", Status: http.StatusUnprocessableEntity}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if r.status != http.StatusMultiStatus || r.json["status"] != "partially_failed" {
		t.Fatalf("send with a 422 fault: status %d, want 207 partially_failed: %s", r.status, r.raw)
	}

	return r.json["transactionId"].(string)
}

// sendSucceeded sends a synthetic patient synchronously and returns the
// id of the succeeded transaction.
func (env *testEnv) sendSucceeded(t *testing.T, ehrName string, n int) string {
	t.Helper()
	r := env.postJSON(t, "/ehr/send-patient-data", minimalPatient(ehrName, n))
	if r.status != http.StatusOK {
		t.Fatalf("send to %s: status %d, want 200: %s", ehrName, r.status, r.raw)
	}

	return r.json["transactionId"].(string)
}

// auditEntries returns the audit log entries of one action, newest first.
func (env *testEnv) auditEntries(t *testing.T, action string) []store.AuditEntry {
	t.Helper()
	entries, _, err := env.app.Store.ListAudit(context.Background(), store.AuditFilter{Action: action, Limit: 50})
	if err != nil {
		t.Fatalf("ListAudit(%s): %v", action, err)
	}

	return entries
}
