package sim

import (
	"net/http"
	"testing"
)

func TestEvictionBeyondMaxPatients(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{MaxPatients: 3})
	first := ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, "key-first"))
	for range 4 {
		ts.restCreatePatient(t)
	}

	patients := ts.sim.Patients("")
	if len(patients) != 3 {
		t.Fatalf("patients = %d, want 3", len(patients))
	}
	for i, want := range []string{"r-1002", "r-1003", "r-1004"} {
		if patients[i].PatientID != want {
			t.Errorf("patient %d = %s, want %s", i, patients[i].PatientID, want)
		}
	}
	if _, ok := ts.sim.Patient(SystemREST, "r-1000"); ok {
		t.Error("evicted patient r-1000 is still found")
	}
	stats := ts.sim.Stats()
	if stats.Patients != 3 {
		t.Errorf("stats patients = %d, want 3", stats.Patients)
	}
	if stats.Received != 5 {
		t.Errorf("stats received = %d, want 5 (evicted patients still counted)", stats.Received)
	}

	evictedCall := ts.send(t, restData(http.MethodPost, "/rest/patients/r-1000/notes", `{"a":"b"}`, ""))
	if evictedCall.status != http.StatusNotFound {
		t.Errorf("call on evicted patient status = %d, want 404", evictedCall.status)
	}

	retried := ts.send(t, restData(http.MethodPost, "/rest/patients", `{}`, "key-first"))
	if retried.body == first.body {
		t.Errorf("retry of the evicted patient's creation replayed %s, want a new patient", retried.body)
	}
}

func TestDefaultMaxPatients(t *testing.T) {
	t.Parallel()

	if got := New(Options{}).maxPatients; got != defaultMaxPatients {
		t.Errorf("maxPatients = %d, want %d", got, defaultMaxPatients)
	}
	if got := New(Options{MaxPatients: -5}).maxPatients; got != defaultMaxPatients {
		t.Errorf("maxPatients for -5 = %d, want %d", got, defaultMaxPatients)
	}
}

func TestEvictionAcrossSystems(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{MaxPatients: 2})
	token := ts.athenaToken(t)
	athenaID := ts.athenaCreatePatient(t, token)
	ts.restCreatePatient(t)
	ts.restCreatePatient(t)

	if _, ok := ts.sim.Patient(SystemAthena, athenaID); ok {
		t.Error("oldest patient (athena) is still found after two newer rest patients")
	}
	if got := len(ts.sim.Patients(SystemREST)); got != 2 {
		t.Errorf("rest patients = %d, want 2", got)
	}
}
