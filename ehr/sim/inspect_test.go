package sim

import (
	"net/http"
	"net/url"
	"testing"
)

func TestInboxListsPatientsInCreationOrder(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	ts.restCreatePatient(t)
	ts.athenaCreatePatient(t, ts.athenaToken(t))
	ts.restCreatePatient(t)

	tests := []struct {
		name    string
		query   string
		wantIDs []string
	}{
		{"all systems", "", []string{"rest/r-1000", "athena/1000", "rest/r-1001"}},
		{"rest only", "?system=rest", []string{"rest/r-1000", "rest/r-1001"}},
		{"unity only", "?system=unity", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, request{method: http.MethodGet, path: "/inbox" + tt.query})

			if resp.status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
			}
			var inbox struct {
				Patients []PatientRecord `json:"patients"`
			}
			decodeJSON(t, resp.body, &inbox)
			if inbox.Patients == nil {
				t.Fatalf("patients is null or missing in %s", resp.body)
			}
			if len(inbox.Patients) != len(tt.wantIDs) {
				t.Fatalf("got %d patients, want %d (body %s)", len(inbox.Patients), len(tt.wantIDs), resp.body)
			}
			for i, want := range tt.wantIDs {
				if got := inbox.Patients[i].System + "/" + inbox.Patients[i].PatientID; got != want {
					t.Errorf("patient %d = %s, want %s", i, got, want)
				}
			}
		})
	}
}

func TestInboxRejectsUnknownSystem(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	resp := ts.send(t, request{method: http.MethodGet, path: "/inbox?system=epic"})

	if resp.status != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", resp.status)
	}
}

func TestInboxPatient(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	patientID := ts.athenaCreatePatient(t, token)
	ts.send(t, athenaData(http.MethodPost, athenaBase+"/chart/"+patientID+"/allergies", token,
		url.Values{"allergy": {"synthetic"}}, "key-allergies"))

	resp := ts.send(t, request{method: http.MethodGet, path: "/inbox/athena/" + patientID})

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
	}
	var record PatientRecord
	decodeJSON(t, resp.body, &record)
	if record.System != SystemAthena {
		t.Errorf("system = %q, want athena", record.System)
	}
	if record.PatientID != patientID {
		t.Errorf("patient id = %q, want %q", record.PatientID, patientID)
	}
	if len(record.Calls) != 2 {
		t.Fatalf("calls = %d, want 2", len(record.Calls))
	}
	if got := record.Calls[1].IdempotencyKey; got != "key-allergies" {
		t.Errorf("idempotency key = %q, want key-allergies", got)
	}
	if record.CreatedAt.IsZero() {
		t.Errorf("createdAt is zero in %s", resp.body)
	}
	if record.Calls[1].ReceivedAt.IsZero() {
		t.Errorf("receivedAt is zero in %s", resp.body)
	}

	for _, path := range []string{"/inbox/athena/9999", "/inbox/rest/" + patientID, "/inbox/epic/" + patientID} {
		resp := ts.send(t, request{method: http.MethodGet, path: path})
		if resp.status != http.StatusNotFound {
			t.Errorf("%s: status = %d, want 404", path, resp.status)
		}
	}
}

func TestStatsCountsReceivedCalls(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, ""))
	ts.send(t, restData(http.MethodPost, "/rest/patients/r-9999/notes", `{"a":"b"}`, ""))

	resp := ts.send(t, request{method: http.MethodGet, path: "/stats"})

	var stats Stats
	decodeJSON(t, resp.body, &stats)
	want := Stats{Received: 2, Patients: 1}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	if got := ts.sim.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestResetForgetsStateButKeepsTokens(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	ts.athenaCreatePatient(t, token)
	ts.restCreatePatient(t)
	if _, err := ts.sim.AddFault(Fault{Match: "/never-matches"}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}

	resp := ts.send(t, request{method: http.MethodDelete, path: "/inbox"})

	if resp.status != http.StatusNoContent {
		t.Fatalf("status = %d, want 204", resp.status)
	}
	if got := ts.sim.Stats(); got != (Stats{}) {
		t.Errorf("stats after reset = %+v, want zero", got)
	}
	if got := len(ts.sim.Patients("")); got != 0 {
		t.Errorf("patients after reset = %d, want 0", got)
	}
	if got := len(ts.sim.Faults()); got != 0 {
		t.Errorf("faults after reset = %d, want 0", got)
	}
	if got := ts.athenaCreatePatient(t, token); got != "1000" {
		t.Errorf("first athena id after reset = %q, want 1000 (and the old token still valid)", got)
	}
}

func TestUnmatchedRoutesAnswer404(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	tests := []struct{ method, path string }{
		{http.MethodGet, "/"},
		{http.MethodGet, "/nothing-here"},
		{http.MethodGet, "/rest/patients"},
		{http.MethodPut, "/stats"},
		{http.MethodGet, "/athena/v1/195900/patients"},
		{http.MethodGet, unityBase + "/MagicJson"},
		{http.MethodPost, "/epic/patients"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, request{method: tt.method, path: tt.path})

			if resp.status != http.StatusNotFound {
				t.Errorf("status = %d, want 404", resp.status)
			}
			if got := errorMessage(t, resp.body); got != "not found" {
				t.Errorf("error = %q, want not found", got)
			}
		})
	}
}

func TestHandlerUnderStripPrefix(t *testing.T) {
	t.Parallel()
	sim := New(Options{})
	mux := http.NewServeMux()
	mux.Handle("/sim/", http.StripPrefix("/sim", sim.Handler()))
	ts := &testServer{sim: sim, server: newServer(t, mux)}

	resp := ts.send(t, restData(http.MethodPost, "/sim/rest/patients", `{"a":"b"}`, ""))

	if resp.status != http.StatusCreated {
		t.Fatalf("status = %d, want 201 (body %s)", resp.status, resp.body)
	}
	record, _ := sim.Patient(SystemREST, "r-1000")
	if got := record.Calls[0].Path; got != "/rest/patients" {
		t.Errorf("path = %q, want /rest/patients relative to the handler root", got)
	}
}
