package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ehrbridge/ehr/sim"
)

func TestSimulatorPages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.sendPartiallyFailed(t)
	env.sendSucceeded(t, "Allscripts", 7)

	cases := []pageCase{
		{
			name: "inbox in English", path: "/simulator", status: http.StatusOK,
			expected: []string{
				"<h1>Simulator inbox</h1>", "synthetic test data", "athenahealth-like", "Allscripts Unity-like", "Plain REST",
				"POST /v1/195900/patients", "PATIENT_FIRST_NAME", "Elena", "SavePatient", "Test7",
				":patient_demographics", "familyhistory", "Patient 1000 (calls: 4)", "No patient yet.",
				`action="/simulator/reset"`, `action="/simulator/faults/clear"`, `name="_csrf"`,
			},
		},
		{
			name: "inbox in Spanish", path: inSpanish("/simulator"), status: http.StatusOK,
			expected: []string{"<h1>Bandeja del simulador</h1>", "datos de prueba sintéticos", "Paciente 1000 (llamadas: 4)", "Quitar los fallos"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}

	r := env.postForm(t, "/simulator/faults/clear", url.Values{})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/simulator?done=faults_cleared" {
		t.Errorf("clear faults: status %d, Location %q; want 303 to the inbox", r.status, r.header.Get("Location"))
	}
	if faults := env.app.Simulator.Faults(); len(faults) != 0 {
		t.Errorf("simulator keeps %d faults after clearing them", len(faults))
	}
	if n := env.app.Simulator.Stats().Patients; n != 2 {
		t.Errorf("clearing faults left %d patients, want the 2 sent", n)
	}
	checkPage(t, env, pageCase{
		name: "notice after clearing faults", path: "/simulator?done=faults_cleared", status: http.StatusOK,
		expected: []string{"Every injected fault was removed.", "No fault is active."},
	})

	r = env.postForm(t, inSpanish("/simulator/reset"), url.Values{})
	for _, text := range []string{"¿Reiniciar la bandeja del simulador?", `name="confirm" value="yes"`, `id="simulator-reset-confirm"`, `href="/simulator"`} {
		if r.status != http.StatusOK || !strings.Contains(r.raw, text) {
			t.Errorf("reset without confirmation: status %d, want 200 with %q", r.status, text)
		}
	}
	if n := env.app.Simulator.Stats().Patients; n != 2 {
		t.Errorf("reset without confirmation left %d patients, want the 2 sent", n)
	}

	r = env.postForm(t, "/simulator/reset", url.Values{"confirm": {"yes"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/simulator?done=reset" {
		t.Errorf("reset: status %d, Location %q; want 303 to the inbox", r.status, r.header.Get("Location"))
	}
	if n := env.app.Simulator.Stats().Patients; n != 0 {
		t.Errorf("simulator keeps %d patients after the reset", n)
	}
	checkPage(t, env, pageCase{
		name: "inbox after the reset", path: inSpanish("/simulator?done=reset"), status: http.StatusOK,
		expected: []string{"Se reinició el simulador"}, forbidden: []string{"Elena", "Test7"},
	})
}

func TestSimulatorPageNeedsTheSimulator(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	if env.app.Simulator != nil {
		t.Fatal("production mode started the simulator")
	}
	admin := env.signIn(t, "admin", "admin")

	if r := env.doWith(t, admin, http.MethodGet, "/simulator", "", "", nil); r.status != http.StatusNotFound {
		t.Errorf("GET /simulator without simulator: status %d, want 404", r.status)
	}
	for _, path := range []string{"/simulator/reset", "/simulator/faults/clear"} {
		if r := env.postFormAs(t, admin, "/cache", path, url.Values{}); r.status != http.StatusNotFound {
			t.Errorf("POST %s without simulator: status %d, want 404", path, r.status)
		}
	}
}

func TestSimulatorPageShowsNewestPatientsFirst(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: sim.SystemUnity, Match: "SaveNothing", Status: 500}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.sendSucceeded(t, "Allscripts", 1)
	env.sendSucceeded(t, "Allscripts", 2)

	r := checkPage(t, env, pageCase{name: "two patients", path: "/simulator", status: http.StatusOK, expected: []string{"SaveNothing"}})
	first, second := strings.Index(r.raw, "Patient 1001"), strings.Index(r.raw, "Patient 1000")
	if first < 0 || second < 0 || first > second {
		t.Errorf("patient 1001 at %d and 1000 at %d, want the newest first", first, second)
	}
}
