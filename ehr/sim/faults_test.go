package sim

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"
)

// addFault adds f and fails the test when it is rejected.
func addFault(t *testing.T, sim *Simulator, f Fault) string {
	t.Helper()

	id, err := sim.AddFault(f)
	if err != nil {
		t.Fatalf("AddFault(%+v): %v", f, err)
	}

	return id
}

// freshClient uses a new connection per request, so that Go's transport
// never retries a request on its own after a reset.
func freshClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestFaultStatusMode(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		status     int
		wantStatus int
	}{
		{"default status", 0, http.StatusServiceUnavailable},
		{"explicit status", http.StatusTooManyRequests, http.StatusTooManyRequests},
		{"client error status", http.StatusBadRequest, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startSimulator(t, Options{})
			patientID := ts.restCreatePatient(t)
			addFault(t, ts.sim, Fault{Mode: ModeStatus, Status: tt.status})

			resp := ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-status"))

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.status, tt.wantStatus)
			}
			if got := errorMessage(t, resp.body); got != "injected fault" {
				t.Errorf("error = %q, want injected fault", got)
			}
			if got := callCount(ts.sim, SystemREST, patientID); got != 1 {
				t.Errorf("patient has %d calls, want 1", got)
			}
			if got := ts.sim.Stats().FaultsFired; got != 1 {
				t.Errorf("faults fired = %d, want 1", got)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()

	restNotes := func(*testServer, *testing.T) request {
		return restData(http.MethodPost, "/rest/patients/r-1000/notes", `{"a":"b"}`, "")
	}
	restCreate := func(*testServer, *testing.T) request {
		return restData(http.MethodPost, "/rest/patients", `{"a":"b"}`, "")
	}
	athenaToken := func(*testServer, *testing.T) request {
		return request{method: http.MethodPost, path: athenaTokenPath, contentType: formType,
			body: "grant_type=client_credentials", basicUser: "synthetic-client"}
	}
	athenaSection := func(ts *testServer, t *testing.T) request {
		return athenaData(http.MethodPost, athenaBase+"/chart/1000/notes", ts.athenaToken(t), url.Values{}, "")
	}
	unityToken := func(*testServer, *testing.T) request {
		return request{method: http.MethodPost, path: unityBase + "/GetToken", contentType: jsonType,
			body: `{"Username":"synthetic-user"}`}
	}
	unitySave := func(ts *testServer, t *testing.T) request {
		return unityCall(map[string]any{"Action": "SaveAllergy", "Token": ts.unityToken(t), "PatientID": "1000"}, "")
	}

	tests := []struct {
		name      string
		fault     Fault
		request   func(*testServer, *testing.T) request
		wantFired bool
	}{
		{"empty match fires on data call", Fault{}, restNotes, true},
		{"empty match fires on patient creation", Fault{}, restCreate, true},
		{"path substring fires", Fault{Match: "/notes"}, restNotes, true},
		{"other path does not fire", Fault{Match: "/allergies"}, restNotes, false},
		{"match is case-sensitive", Fault{Match: "/NOTES"}, restNotes, false},
		{"same system fires", Fault{System: SystemREST}, restNotes, true},
		{"other system does not fire", Fault{System: SystemAthena}, restNotes, false},
		{"empty match skips athena token", Fault{}, athenaToken, false},
		{"token match fires on athena token", Fault{Match: "token"}, athenaToken, true},
		{"token match skips athena data", Fault{Match: "token"}, athenaSection, false},
		{"empty match skips unity token", Fault{}, unityToken, false},
		{"GetToken match fires on unity token", Fault{Match: "GetToken"}, unityToken, true},
		{"action match fires on unity call", Fault{Match: "SaveAllergy"}, unitySave, true},
		{"other action does not fire", Fault{Match: "SaveProblem"}, unitySave, false},
		{"unity system fires on unity call", Fault{System: SystemUnity}, unitySave, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startSimulator(t, Options{})
			req := tt.request(ts, t) // fetches tokens before the fault exists
			tt.fault.Status = http.StatusTeapot
			addFault(t, ts.sim, tt.fault)

			resp := ts.send(t, req)

			if fired := resp.status == http.StatusTeapot; fired != tt.wantFired {
				t.Errorf("fired = %v, want %v (status %d)", fired, tt.wantFired, resp.status)
			}
		})
	}
}

func TestFaultFirstMatchWins(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	first := addFault(t, ts.sim, Fault{Status: http.StatusBadGateway})
	addFault(t, ts.sim, Fault{Status: http.StatusInternalServerError})

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, ""))

	if resp.status != http.StatusBadGateway {
		t.Errorf("status = %d, want 502 from %s", resp.status, first)
	}
}

func TestFaultTimesThenRemoved(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	id := addFault(t, ts.sim, Fault{Status: http.StatusInternalServerError, Times: 2})

	var statuses []int
	for range 3 {
		statuses = append(statuses, ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, "")).status)
	}

	want := []int{http.StatusInternalServerError, http.StatusInternalServerError, http.StatusCreated}
	for i := range want {
		if statuses[i] != want[i] {
			t.Errorf("request %d status = %d, want %d", i+1, statuses[i], want[i])
		}
	}
	if got := len(ts.sim.Faults()); got != 0 {
		t.Errorf("faults left = %d, want 0 after %s used its times", got, id)
	}
	if got := ts.sim.Stats().FaultsFired; got != 2 {
		t.Errorf("faults fired = %d, want 2", got)
	}
	if got := len(ts.sim.Patients("")); got != 1 {
		t.Errorf("patients = %d, want 1", got)
	}
}

func TestFaultUnlimitedCountsFired(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	addFault(t, ts.sim, Fault{Status: http.StatusInternalServerError, Rate: 1})
	const requests = 20

	fired := 0
	for range requests {
		if ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, "")).status == http.StatusInternalServerError {
			fired++
		}
	}

	if fired != requests {
		t.Errorf("fired on %d of %d requests, want all with rate 1", fired, requests)
	}
	faults := ts.sim.Faults()
	if len(faults) != 1 {
		t.Fatalf("faults = %d, want the unlimited fault kept", len(faults))
	}
	if faults[0].Fired != requests {
		t.Errorf("Fired = %d, want %d", faults[0].Fired, requests)
	}
	if faults[0].Rate != 1 {
		t.Errorf("Rate = %v, want 1", faults[0].Rate)
	}
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeReset, Match: "/notes"})

	_, err := ts.sendWith(freshClient(5*time.Second),
		restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-reset"))

	if err == nil {
		t.Fatal("request succeeded, want a transport error")
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("error = %v, want connection reset", err)
	}
	if got := callCount(ts.sim, SystemREST, patientID); got != 1 {
		t.Errorf("patient has %d calls, want 1", got)
	}
	if got := ts.sim.Stats().FaultsFired; got != 1 {
		t.Errorf("faults fired = %d, want 1", got)
	}
}

func TestFaultResetAfterStore(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeResetAfterStore, Match: "/notes", Times: 1})
	req := restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-lost-answer")

	_, err := ts.sendWith(freshClient(5*time.Second), req)
	retry := ts.send(t, req)

	if err == nil {
		t.Fatal("first request succeeded, want a transport error")
	}
	if got := callCount(ts.sim, SystemREST, patientID); got != 2 {
		t.Errorf("patient has %d calls, want 2 (the call stored once)", got)
	}
	if retry.status != http.StatusOK {
		t.Errorf("retry status = %d, want 200 (body %s)", retry.status, retry.body)
	}
	if got := ts.sim.Stats().Replayed; got != 1 {
		t.Errorf("replayed = %d, want 1", got)
	}
}

func TestFaultResetAfterStoreOnCreation(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	addFault(t, ts.sim, Fault{Mode: ModeResetAfterStore, Match: "/patients", Times: 1})
	req := athenaData(http.MethodPost, athenaBase+"/patients", token, url.Values{"lastname": {"Synthetic"}}, "key-create")

	_, err := ts.sendWith(freshClient(5*time.Second), req)
	retry := ts.send(t, req)

	if err == nil {
		t.Fatal("first request succeeded, want a transport error")
	}
	if retry.body != `[{"patientid":"1000"}]` {
		t.Errorf("retry body = %s, want the stored patient 1000", retry.body)
	}
	if got := len(ts.sim.Patients(SystemAthena)); got != 1 {
		t.Errorf("athena patients = %d, want 1", got)
	}
}

func TestFaultTimeout(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeTimeout})

	started := time.Now()
	_, err := ts.sendWith(freshClient(200*time.Millisecond),
		restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, ""))

	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("error = %v, want a client timeout", err)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Errorf("request took %v, want about the 200ms client timeout", elapsed)
	}
	if got := callCount(ts.sim, SystemREST, patientID); got != 1 {
		t.Errorf("patient has %d calls, want 1", got)
	}
}

func TestFaultTimeoutHoldElapses(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	ts.sim.timeoutHold = 50 * time.Millisecond
	addFault(t, ts.sim, Fault{Mode: ModeTimeout})

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, ""))

	if resp.status != http.StatusGatewayTimeout {
		t.Errorf("status = %d, want 504", resp.status)
	}
	if got := len(ts.sim.Patients("")); got != 0 {
		t.Errorf("patients = %d, want 0", got)
	}
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		fault      Fault
		wantStatus int
	}{
		{"latency mode", Fault{Mode: ModeLatency, LatencyMs: 150}, http.StatusCreated},
		{"latency before status", Fault{Mode: ModeStatus, Status: http.StatusBadGateway, LatencyMs: 150}, http.StatusBadGateway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startSimulator(t, Options{})
			addFault(t, ts.sim, tt.fault)

			started := time.Now()
			resp := ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, ""))
			elapsed := time.Since(started)

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.status, tt.wantStatus)
			}
			if elapsed < 150*time.Millisecond {
				t.Errorf("responded after %v, want at least 150ms", elapsed)
			}
		})
	}
}

func TestFaultLatencyStoresAfterClientGivesUp(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeLatency, LatencyMs: 300})

	_, err := ts.sendWith(freshClient(50*time.Millisecond),
		restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, ""))

	if err == nil {
		t.Fatal("request succeeded, want a client timeout")
	}
	deadline := time.Now().Add(5 * time.Second)
	for callCount(ts.sim, SystemREST, patientID) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := callCount(ts.sim, SystemREST, patientID); got != 2 {
		t.Errorf("patient has %d calls, want 2 (stored after the delay)", got)
	}
}
