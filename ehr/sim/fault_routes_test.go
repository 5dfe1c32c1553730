package sim

import (
	"math"
	"net/http"
	"strings"
	"testing"
)

func TestAddFaultValidation(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		fault     Fault
		wantError string
	}{
		{"unknown mode", Fault{Mode: "explode"}, "mode"},
		{"unknown system", Fault{System: "epic"}, "system"},
		{"status below 400", Fault{Status: 302}, "status"},
		{"status above 599", Fault{Status: 600}, "status"},
		{"status on reset mode out of range", Fault{Mode: ModeReset, Status: 200}, "status"},
		{"negative latency", Fault{Mode: ModeReset, LatencyMs: -1}, "latencyMs"},
		{"latency mode without latency", Fault{Mode: ModeLatency}, "latencyMs"},
		{"negative rate", Fault{Rate: -0.5}, "rate"},
		{"rate above 1", Fault{Rate: 1.5}, "rate"},
		{"rate NaN", Fault{Rate: math.NaN()}, "rate"},
		{"negative times", Fault{Times: -1}, "times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := New(Options{})

			id, err := sim.AddFault(tt.fault)

			if err == nil {
				t.Fatalf("AddFault returned id %q, want an error", id)
			}
			if !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("error = %q, want it to name %q", err, tt.wantError)
			}
			if got := len(sim.Faults()); got != 0 {
				t.Errorf("faults = %d after a rejected fault, want 0", got)
			}
		})
	}
}

func TestAddFaultDefaults(t *testing.T) {
	t.Parallel()
	sim := New(Options{})

	id := addFault(t, sim, Fault{ID: "chosen-by-caller", Fired: 9})

	faults := sim.Faults()
	if len(faults) != 1 {
		t.Fatalf("faults = %d, want 1", len(faults))
	}
	got := faults[0]
	if got.ID != id {
		t.Errorf("ID = %q, want the returned id %q", got.ID, id)
	}
	if id == "chosen-by-caller" {
		t.Error("AddFault kept the caller's ID, want a simulator-assigned one")
	}
	if got.Mode != ModeStatus {
		t.Errorf("Mode = %q, want %q", got.Mode, ModeStatus)
	}
	if got.Status != http.StatusServiceUnavailable {
		t.Errorf("Status = %d, want 503", got.Status)
	}
	if got.Rate != 1 {
		t.Errorf("Rate = %v, want 1", got.Rate)
	}
	if got.Fired != 0 {
		t.Errorf("Fired = %d, want 0", got.Fired)
	}
}

func TestFaultRoutes(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	created := ts.send(t, request{method: http.MethodPost, path: "/faults", contentType: jsonType,
		body: `{"system":"rest","match":"/notes","mode":"latency","latencyMs":10,"times":3}`})
	ts.send(t, request{method: http.MethodPost, path: "/faults", contentType: jsonType, body: `{"status":500}`})
	listed := ts.send(t, request{method: http.MethodGet, path: "/faults"})

	if created.status != http.StatusCreated {
		t.Fatalf("POST /faults status = %d, want 201 (body %s)", created.status, created.body)
	}
	var idBody struct {
		ID string `json:"id"`
	}
	decodeJSON(t, created.body, &idBody)
	var list struct {
		Faults []Fault `json:"faults"`
	}
	decodeJSON(t, listed.body, &list)
	if len(list.Faults) != 2 {
		t.Fatalf("GET /faults listed %d faults, want 2 (body %s)", len(list.Faults), listed.body)
	}
	want := Fault{ID: idBody.ID, System: SystemREST, Match: "/notes", Mode: ModeLatency, LatencyMs: 10, Rate: 1, Times: 3}
	if list.Faults[0] != want {
		t.Errorf("first fault = %+v, want %+v", list.Faults[0], want)
	}

	removed := ts.send(t, request{method: http.MethodDelete, path: "/faults/" + idBody.ID})
	removedAgain := ts.send(t, request{method: http.MethodDelete, path: "/faults/" + idBody.ID})
	if removed.status != http.StatusNoContent {
		t.Errorf("DELETE /faults/{id} status = %d, want 204", removed.status)
	}
	if removedAgain.status != http.StatusNotFound {
		t.Errorf("second DELETE /faults/{id} status = %d, want 404", removedAgain.status)
	}
	if got := len(ts.sim.Faults()); got != 1 {
		t.Errorf("faults after removing one = %d, want 1", got)
	}

	cleared := ts.send(t, request{method: http.MethodDelete, path: "/faults"})
	if cleared.status != http.StatusNoContent {
		t.Errorf("DELETE /faults status = %d, want 204", cleared.status)
	}
	if got := len(ts.sim.Faults()); got != 0 {
		t.Errorf("faults after clearing = %d, want 0", got)
	}
}

func TestFaultRouteRejectsInvalidFault(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	tests := []struct {
		name string
		body string
	}{
		{"bad mode", `{"mode":"explode"}`},
		{"status out of range", `{"status":200}`},
		{"rate out of range", `{"rate":2}`},
		{"negative times", `{"times":-1}`},
		{"misspelled field", `{"latency_ms":100}`},
		{"malformed json", `{"mode":`},
		{"empty body", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, request{method: http.MethodPost, path: "/faults", contentType: jsonType, body: tt.body})

			if resp.status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400 (body %s)", resp.status, resp.body)
			}
			if errorMessage(t, resp.body) == "" {
				t.Errorf("error message is empty in %s", resp.body)
			}
		})
	}

	if got := len(ts.sim.Faults()); got != 0 {
		t.Errorf("faults = %d after rejected requests, want 0", got)
	}
}

func TestEmptyFaultListIsArray(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	resp := ts.send(t, request{method: http.MethodGet, path: "/faults"})

	if resp.body != `{"faults":[]}` {
		t.Errorf("body = %s, want {\"faults\":[]}", resp.body)
	}
}
