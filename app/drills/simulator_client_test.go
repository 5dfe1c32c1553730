package drills_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// simulatorFault is a fault as POST /faults takes it.
type simulatorFault struct {
	System            string `json:"system,omitempty"`
	Match             string `json:"match,omitempty"`
	Mode              string `json:"mode,omitempty"`
	Status            int    `json:"status,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"`
	LatencyMs         int    `json:"latencyMs,omitempty"`
	Times             int    `json:"times,omitempty"`
}

// simulatorCall is one recorded call of GET /inbox.
type simulatorCall struct {
	Endpoint       string `json:"endpoint"`
	IdempotencyKey string `json:"idempotencyKey"`
}

// simulatorStats is GET /stats.
type simulatorStats struct {
	Received    int `json:"received"`
	Replayed    int `json:"replayed"`
	FaultsFired int `json:"faultsFired"`
	Patients    int `json:"patients"`
}

func (s *simulatorProcess) client() *apiClient {
	return newAPIClient(s.url, 10*time.Second)
}

func (s *simulatorProcess) addFault(t *testing.T, fault simulatorFault) {
	t.Helper()
	body, _ := json.Marshal(fault)
	answer, err := s.client().do(http.MethodPost, "/faults", body)
	if err != nil || answer.status != http.StatusCreated {
		t.Fatalf("POST /faults %s: %d %v %s", body, answer.status, err, answer.body)
	}
}

// calls returns every call recorded on every simulated patient.
func (s *simulatorProcess) calls(t *testing.T) []simulatorCall {
	t.Helper()
	answer, err := s.client().do(http.MethodGet, "/inbox", nil)
	if err != nil || answer.status != http.StatusOK {
		t.Fatalf("GET /inbox: %d %v", answer.status, err)
	}
	var inbox struct {
		Patients []struct {
			Calls []simulatorCall `json:"calls"`
		} `json:"patients"`
	}
	if err := json.Unmarshal(answer.body, &inbox); err != nil {
		t.Fatalf("decoding /inbox: %v", err)
	}
	var calls []simulatorCall
	for _, patient := range inbox.Patients {
		calls = append(calls, patient.Calls...)
	}

	return calls
}

func (s *simulatorProcess) stats(t *testing.T) simulatorStats {
	t.Helper()
	answer, err := s.client().do(http.MethodGet, "/stats", nil)
	if err != nil || answer.status != http.StatusOK {
		t.Fatalf("GET /stats: %d %v", answer.status, err)
	}
	var stats simulatorStats
	if err := json.Unmarshal(answer.body, &stats); err != nil {
		t.Fatalf("decoding /stats: %v", err)
	}

	return stats
}

// callsByIdempotencyKey counts the stored calls of each idempotency key.
func callsByIdempotencyKey(calls []simulatorCall) map[string]int {
	counts := make(map[string]int, len(calls))
	for _, call := range calls {
		counts[call.IdempotencyKey]++
	}

	return counts
}
