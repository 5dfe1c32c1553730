package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"ehrbridge/ehr/sim"
)

// navLinks are the navigation links of the pages a role may or may not
// open, as the layout writes them.
var navLinks = map[string]string{
	"dashboard": `<a href="/"`, "transactions": `<a href="/transactions"`, "queue": `<a href="/queue"`,
	"cache": `<a href="/cache"`, "mappings": `<a href="/mappings"`, "systems": `<a href="/systems"`,
	"send": `<a href="/send"`, "bulk": `<a href="/bulk"`, "simulator": `<a href="/simulator"`,
	"users": `<a href="/users"`, "api keys": `<a href="/api-keys"`, "audit": `<a href="/audit"`,
}

func TestNavigationFollowsRole(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	readLinks := []string{"dashboard", "transactions", "queue", "cache", "mappings", "systems"}
	cases := []struct {
		role      string
		user      string
		roleLabel string
		shown     []string
		hidden    []string
	}{
		{"viewer", "vera", "viewer", readLinks, []string{"send", "bulk", "simulator", "users", "api keys", "audit"}},
		{"operator", "oscar", "operator", append([]string{"send", "bulk"}, readLinks...), []string{"simulator", "users", "api keys", "audit"}},
		{"admin", "ada", "admin", append([]string{"send", "bulk", "users", "api keys", "audit"}, readLinks...), []string{"simulator"}},
	}
	for _, tc := range cases {
		client := env.signIn(t, tc.user, tc.role)
		page := env.doWith(t, client, http.MethodGet, "/transactions", "", "", nil)
		if page.status != http.StatusOK {
			t.Fatalf("%s: GET /transactions: status %d", tc.role, page.status)
		}
		for _, name := range tc.shown {
			if !strings.Contains(page.raw, navLinks[name]) {
				t.Errorf("%s: navigation lacks the %s link", tc.role, name)
			}
		}
		for _, name := range tc.hidden {
			if strings.Contains(page.raw, navLinks[name]) {
				t.Errorf("%s: navigation shows the %s link", tc.role, name)
			}
		}
		signedInAs := "Signed in as " + tc.user + " (" + tc.roleLabel + ")"
		if !strings.Contains(page.raw, signedInAs) {
			t.Errorf("%s: page lacks %q", tc.role, signedInAs)
		}
		if !strings.Contains(page.raw, `<form method="post" action="/logout">`) || !strings.Contains(page.raw, `id="sign-out"`) {
			t.Errorf("%s: page lacks the sign-out form", tc.role)
		}
	}
}

func TestNavigationInSpanishNamesRole(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	admin := env.signIn(t, "ada", "admin")

	page := env.doWith(t, admin, http.MethodGet, "/users?lang=es", "", "", nil)
	for _, text := range []string{"Sesión iniciada como ada (administrador)", "Cerrar sesión", ">Usuarios</a>", ">Claves de API</a>", ">Registro de auditoría</a>"} {
		if !strings.Contains(page.raw, text) {
			t.Errorf("Spanish page lacks %q", text)
		}
	}
	if !strings.Contains(page.raw, `hreflang="en"`) {
		t.Errorf("Spanish page lacks the link to English")
	}
}

func TestSignInPageShowsNoNavigation(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)

	page := env.doWith(t, newBrowserClient(t), http.MethodGet, "/login", "", "", nil)
	if page.status != http.StatusOK {
		t.Fatalf("GET /login: status %d", page.status)
	}
	for name, link := range navLinks {
		if strings.Contains(page.raw, link) {
			t.Errorf("sign-in page shows the %s link to an anonymous visitor", name)
		}
	}
	for _, text := range []string{"Signed in as", `action="/logout"`} {
		if strings.Contains(page.raw, text) {
			t.Errorf("sign-in page shows %q to an anonymous visitor", text)
		}
	}
	if !strings.Contains(page.raw, `hreflang="es"`) {
		t.Errorf("sign-in page lacks the language switch")
	}
}

func TestAdminPagesNeedAdmin(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	viewer := env.signIn(t, "vera", "viewer")
	operator := env.signIn(t, "oscar", "operator")

	for _, client := range []*http.Client{viewer, operator} {
		for _, path := range []string{"/users", "/api-keys", "/audit"} {
			if r := env.doWith(t, client, http.MethodGet, path, "", "", nil); r.status != http.StatusForbidden {
				t.Errorf("GET %s as non-admin: status %d, want 403", path, r.status)
			}
		}
	}
	create := env.postFormAs(t, operator, "/transactions", "/users", url.Values{
		"username": {"mallory"}, "role": {"admin"}, "password": {testPassword}, "password_repeat": {testPassword},
	})
	if create.status != http.StatusForbidden {
		t.Errorf("POST /users as operator: status %d, want 403", create.status)
	}
	if _, err := env.app.Store.FindUserByName(t.Context(), "mallory"); err == nil {
		t.Errorf("an operator created an account")
	}
}

func TestPagesHideControlsOfOtherRoles(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	viewer := env.signIn(t, "vera", "viewer")
	admin := env.signIn(t, "ada", "admin")

	cases := []struct {
		path     string
		controls []string
		kept     []string
	}{
		{"/cache", []string{`action="/cache/invalidate"`, `action="/cache/clear"`}, []string{`id="tier-local"`}},
		{"/systems", []string{`href="/systems/new"`, `href="/systems/Athena"`}, []string{"Athena"}},
		{"/mappings", []string{`href="/mappings/Athena"`}, []string{`href="/mappings/Athena/versions"`}},
		{"/queue", []string{`href="/admin/riverui/"`}, []string{"<h1>"}},
	}
	for _, tc := range cases {
		asViewer := env.doWith(t, viewer, http.MethodGet, tc.path, "", "", nil)
		asAdmin := env.doWith(t, admin, http.MethodGet, tc.path, "", "", nil)
		for _, control := range tc.controls {
			if strings.Contains(asViewer.raw, control) {
				t.Errorf("%s shows %s to a viewer", tc.path, control)
			}
			if !strings.Contains(asAdmin.raw, control) {
				t.Errorf("%s lacks %s for an admin", tc.path, control)
			}
		}
		for _, text := range tc.kept {
			if !strings.Contains(asViewer.raw, text) {
				t.Errorf("%s lacks %s for a viewer", tc.path, text)
			}
		}
	}
}

func TestQueueRetryButtonNeedsSend(t *testing.T) {
	t.Parallel()
	// Development mode keeps the simulator, whose faults make a job that
	// River cancels, and AUTH_REQUIRED gives every request a role.
	env := setup(t, withEnv(map[string]string{"AUTH_REQUIRED": "true"}))
	env.startWorkers(t)
	jobID := cancelledJobAs(t, env, env.createAPIKey(t, "admin"))
	retryForm := retryFormOf(jobID)

	viewer := env.signIn(t, "vera", "viewer")
	operator := env.signIn(t, "oscar", "operator")
	if page := env.doWith(t, viewer, http.MethodGet, "/queue", "", "", nil); strings.Contains(page.raw, retryForm) {
		t.Errorf("queue page offers a viewer to retry job %d", jobID)
	}
	if page := env.doWith(t, operator, http.MethodGet, "/queue", "", "", nil); !strings.Contains(page.raw, retryForm) {
		t.Errorf("queue page does not offer an operator to retry job %d", jobID)
	}
}

// cancelledJobAs makes a delivery job that River cancelled, sending with
// the API key key, and returns the job's id.
func cancelledJobAs(t *testing.T, env *testEnv, key string) int64 {
	t.Helper()
	fault := sim.Fault{System: sim.SystemAthena, Match: "familyhistory", Status: http.StatusUnprocessableEntity}
	if _, err := env.app.Simulator.AddFault(fault); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	sent := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json", sample(t, "full-en.json"), bearer(key))
	if sent.status != http.StatusAccepted {
		t.Fatalf("async send: status %d, want 202: %s", sent.status, sent.raw)
	}
	jobID := int64(sent.json["jobId"].(float64))

	deadline := time.Now().Add(20 * time.Second)
	for {
		job, err := env.app.Queue.JobGet(context.Background(), jobID)
		if err == nil && job.State == rivertype.JobStateCancelled {
			return jobID
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d not cancelled in time (error %v)", jobID, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
