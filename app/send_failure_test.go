package app_test

import (
	"net/http"
	"strings"
	"testing"

	"ehrbridge/ehr/sim"
)

func TestSendWithInjectedFailures(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name       string
		fault      sim.Fault
		status     int
		txnStatus  string
		endpoints  map[string]string
		errorCodes map[string]string
		replayed   int
	}{
		{
			name:       "one section answers 503",
			fault:      sim.Fault{System: "athena", Match: "medicalhistory", Status: 503},
			status:     http.StatusMultiStatus,
			txnStatus:  "partially_failed",
			endpoints:  map[string]string{"patient_demographics": "succeeded", "medical_history": "failed", "insurance_info": "succeeded"},
			errorCodes: map[string]string{"medical_history": "ehr_http_status"},
		},
		{
			name:      "one section rejects with 422",
			fault:     sim.Fault{System: "athena", Match: "familyhistory", Status: 422},
			status:    http.StatusMultiStatus,
			txnStatus: "partially_failed",
			endpoints: map[string]string{"family_history": "failed", "social_history": "succeeded"},
		},
		{
			name:       "patient create fails so nothing else is sent",
			fault:      sim.Fault{System: "athena", Match: "/v1/195900/patients", Status: 500, Times: 1},
			status:     http.StatusBadGateway,
			txnStatus:  "failed",
			endpoints:  map[string]string{"patient_demographics": "failed", "medical_history": "skipped", "insurance_info": "skipped"},
			errorCodes: map[string]string{"medical_history": "not_attempted"},
		},
		{
			name:       "section times out",
			fault:      sim.Fault{System: "athena", Match: "socialhistory", Mode: sim.ModeTimeout},
			status:     http.StatusMultiStatus,
			txnStatus:  "partially_failed",
			endpoints:  map[string]string{"social_history": "unknown", "medical_history": "succeeded"},
			errorCodes: map[string]string{"social_history": "ehr_timeout"},
		},
		{
			name:      "connection reset after the EHR stored the call",
			fault:     sim.Fault{System: "athena", Match: "insurances", Mode: sim.ModeResetAfterStore},
			status:    http.StatusMultiStatus,
			txnStatus: "partially_failed",
			endpoints: map[string]string{"insurance_info": "unknown"},
		},
		{
			name:      "one reset after the EHR stored the call is not resent",
			fault:     sim.Fault{System: "athena", Match: "socialhistory", Mode: sim.ModeResetAfterStore, Times: 1},
			status:    http.StatusMultiStatus,
			txnStatus: "partially_failed",
			endpoints: map[string]string{"social_history": "unknown", "family_history": "succeeded"},
		},
		{
			name:       "token endpoint down",
			fault:      sim.Fault{System: "athena", Match: "token", Status: 503},
			status:     http.StatusBadGateway,
			txnStatus:  "failed",
			endpoints:  map[string]string{"patient_demographics": "failed", "family_history": "skipped"},
			errorCodes: map[string]string{"patient_demographics": "ehr_auth"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := setup(t, map[string]string{"EHR_TIMEOUT": "500ms"})
			if _, err := env.app.Simulator.AddFault(tc.fault); err != nil {
				t.Fatalf("AddFault: %v", err)
			}

			r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if r.json["status"] != tc.txnStatus {
				t.Errorf("transaction status %v, want %s", r.json["status"], tc.txnStatus)
			}
			statuses := endpointStatuses(t, r)
			for name, want := range tc.endpoints {
				if statuses[name] != want {
					t.Errorf("endpoint %s status %q, want %q", name, statuses[name], want)
				}
			}
			codes := endpointErrorCodes(r)
			for name, want := range tc.errorCodes {
				if codes[name] != want {
					t.Errorf("endpoint %s error code %q, want %q", name, codes[name], want)
				}
			}

			if got := env.app.Simulator.Stats().Replayed; got != tc.replayed {
				t.Errorf("simulator saw %d repeated calls, want %d: a call was resent below the ledger", got, tc.replayed)
			}

			stored := env.get(t, "/ehr/transactions/"+r.json["transactionId"].(string))
			if stored.json["status"] != tc.txnStatus {
				t.Errorf("stored transaction status %v, want %s", stored.json["status"], tc.txnStatus)
			}
			if strings.Contains(stored.raw, "Elena") || strings.Contains(stored.raw, "elena.vm") {
				t.Errorf("transaction detail contains patient data: %s", stored.raw)
			}
		})
	}
}

// endpointErrorCodes maps each failed endpoint to its error code.
func endpointErrorCodes(r response) map[string]string {
	out := map[string]string{}
	items, _ := r.json["endpoints"].([]any)
	for _, item := range items {
		endpoint := item.(map[string]any)
		if errObj, ok := endpoint["error"].(map[string]any); ok {
			out[endpoint["name"].(string)] = errObj["code"].(string)
		}
	}

	return out
}

func TestSendToUnconfiguredSystem(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	created := env.postJSON(t, "/ehr/systems", `{"name":"Closed","family":"rest","baseUrl":"http://127.0.0.1:1"}`)
	if created.status != http.StatusCreated {
		t.Fatalf("creating system: %d %s", created.status, created.raw)
	}

	r := env.postJSON(t, "/ehr/send-patient-data", withEHR(t, sample(t, "full-en.json"), "Closed"))
	if r.status != http.StatusBadGateway {
		t.Fatalf("status %d, want 502: %s", r.status, r.raw)
	}
	if codes := endpointErrorCodes(r); codes["patient"] != "ehr_connection" {
		t.Errorf("error codes %v, want ehr_connection for patient", codes)
	}
}
