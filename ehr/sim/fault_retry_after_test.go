package sim

import (
	"net/http"
	"strings"
	"testing"
)

func TestFaultStatusSetsRetryAfter(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeStatus, Status: http.StatusTooManyRequests, RetryAfterSeconds: 7})

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-retry-after"))

	if resp.status != http.StatusTooManyRequests {
		t.Errorf("status = %d, want 429", resp.status)
	}
	if got := resp.header.Get("Retry-After"); got != "7" {
		t.Errorf("Retry-After = %q, want 7", got)
	}
}

func TestFaultStatusWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	addFault(t, ts.sim, Fault{Mode: ModeStatus, Status: http.StatusTooManyRequests})

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients/"+patientID+"/notes", `{"a":"b"}`, "key-no-retry-after"))

	if got := resp.header.Values("Retry-After"); len(got) != 0 {
		t.Errorf("Retry-After = %q, want no header", got)
	}
}

func TestAddFaultRetryAfterValidation(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		fault Fault
	}{
		{"negative", Fault{Status: 429, RetryAfterSeconds: -1}},
		{"reset mode", Fault{Mode: ModeReset, RetryAfterSeconds: 1}},
		{"timeout mode", Fault{Mode: ModeTimeout, RetryAfterSeconds: 1}},
		{"latency mode", Fault{Mode: ModeLatency, LatencyMs: 5, RetryAfterSeconds: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := New(Options{})

			id, err := sim.AddFault(tt.fault)

			if err == nil {
				t.Fatalf("AddFault returned id %q, want an error", id)
			}
			if !strings.Contains(err.Error(), "retryAfterSeconds") {
				t.Errorf("error = %q, want it to name retryAfterSeconds", err)
			}
		})
	}
}

func TestFaultRouteTakesRetryAfter(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	created := ts.send(t, request{method: http.MethodPost, path: "/faults", contentType: jsonType,
		body: `{"status":503,"retryAfterSeconds":2}`})

	if created.status != http.StatusCreated {
		t.Fatalf("POST /faults status = %d, want 201 (body %s)", created.status, created.body)
	}
	faults := ts.sim.Faults()
	if len(faults) != 1 || faults[0].RetryAfterSeconds != 2 {
		t.Errorf("faults = %+v, want one with RetryAfterSeconds 2", faults)
	}
}
