package sim

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
)

func TestIdempotentReplayPerSystem(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	athenaToken := ts.athenaToken(t)
	athenaPatient := ts.athenaCreatePatient(t, athenaToken)
	unityToken := ts.unityToken(t)
	ts.send(t, unityCall(map[string]any{"Action": "SavePatient", "Token": unityToken}, ""))
	restPatient := ts.restCreatePatient(t)

	tests := []struct {
		name      string
		system    string
		patientID string
		req       request
	}{
		{"athena section", SystemAthena, athenaPatient,
			athenaData(http.MethodPost, athenaBase+"/chart/"+athenaPatient+"/allergies", athenaToken, url.Values{"a": {"b"}}, "key-athena")},
		{"unity action", SystemUnity, "1000",
			unityCall(map[string]any{"Action": "SaveProblem", "Token": unityToken, "PatientID": "1000"}, "key-unity")},
		{"rest section", SystemREST, restPatient,
			restData(http.MethodPost, "/rest/patients/"+restPatient+"/notes", `{"a":"b"}`, "key-rest")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := ts.send(t, tt.req)
			replayedBefore := ts.sim.Stats().Replayed
			second := ts.send(t, tt.req)

			if first.status != http.StatusOK {
				t.Fatalf("first status = %d, want 200 (body %s)", first.status, first.body)
			}
			if second.status != first.status {
				t.Errorf("replay status = %d, want %d", second.status, first.status)
			}
			if second.body != first.body {
				t.Errorf("replay body = %s, want %s", second.body, first.body)
			}
			if got := callCount(ts.sim, tt.system, tt.patientID); got != 2 {
				t.Errorf("patient has %d calls, want 2 (create and one section)", got)
			}
			if got := ts.sim.Stats().Replayed - replayedBefore; got != 1 {
				t.Errorf("replayed grew by %d, want 1", got)
			}
		})
	}
}

func TestIdempotentReplayOfPatientCreation(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	create := restData(http.MethodPost, "/rest/patients", `{"a":"b"}`, "key-create")

	first := ts.send(t, create)
	second := ts.send(t, create)

	if second.status != http.StatusCreated {
		t.Errorf("replay status = %d, want 201", second.status)
	}
	if second.body != first.body {
		t.Errorf("replay body = %s, want %s", second.body, first.body)
	}
	if got := len(ts.sim.Patients(SystemREST)); got != 1 {
		t.Errorf("patients = %d, want 1", got)
	}
}

func TestIdempotencyKeyScopedBySystem(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, "same-key"))
	token := ts.athenaToken(t)

	resp := ts.send(t, athenaData(http.MethodPost, athenaBase+"/patients", token, url.Values{}, "same-key"))

	if resp.body != `[{"patientid":"1000"}]` {
		t.Errorf("athena body = %s, want a new athena patient", resp.body)
	}
	if got := ts.sim.Stats().Replayed; got != 0 {
		t.Errorf("replayed = %d, want 0", got)
	}
}

func TestFailedAnswerIsNotReplayed(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)

	unknownPatient := ts.send(t, restData(http.MethodPost, "/rest/patients/r-9999/notes", `{"a":"b"}`, "key-notes"))
	badBody := ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":1}`, "key-notes"))
	accepted := ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-notes"))

	if unknownPatient.status != http.StatusNotFound {
		t.Errorf("unknown patient status = %d, want 404", unknownPatient.status)
	}
	if badBody.status != http.StatusBadRequest {
		t.Errorf("bad body status = %d, want 400", badBody.status)
	}
	if accepted.status != http.StatusOK {
		t.Errorf("accepted status = %d, want 200 (body %s)", accepted.status, accepted.body)
	}
	if got := callCount(ts.sim, SystemREST, patientID); got != 2 {
		t.Errorf("patient has %d calls, want 2", got)
	}
}

func TestConcurrentRetriesRecordOnce(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	req := restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-concurrent")
	const retries = 20

	bodies := make([]string, retries)
	var wg sync.WaitGroup
	for i := range retries {
		wg.Go(func() {
			resp, err := ts.sendWith(ts.server.Client(), req)
			if err != nil {
				t.Errorf("retry %d: %v", i, err)
				return
			}
			bodies[i] = resp.body
		})
	}
	wg.Wait()

	if got := callCount(ts.sim, SystemREST, patientID); got != 2 {
		t.Errorf("patient has %d calls, want 2", got)
	}
	for i, body := range bodies {
		if body != bodies[0] {
			t.Errorf("retry %d body = %s, want %s", i, body, bodies[0])
		}
	}
	if got := ts.sim.Stats().Replayed; got != retries-1 {
		t.Errorf("replayed = %d, want %d", got, retries-1)
	}
}
