package sim

import (
	"net/http"
	"testing"
)

func TestRESTCreatePatient(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients", `{"firstName":"Ada","lastName":"Synthetic"}`, ""))
	second := ts.restCreatePatient(t)

	if resp.status != http.StatusCreated {
		t.Fatalf("status = %d, want 201 (body %s)", resp.status, resp.body)
	}
	if resp.body != `{"id":"r-1000"}` {
		t.Errorf("body = %s, want {\"id\":\"r-1000\"}", resp.body)
	}
	if second != "r-1001" {
		t.Errorf("second id = %q, want r-1001", second)
	}
	record, ok := ts.sim.Patient(SystemREST, "r-1000")
	if !ok {
		t.Fatal("patient r-1000 is not stored")
	}
	if got := record.Calls[0].Endpoint; got != "POST /patients" {
		t.Errorf("endpoint = %q, want POST /patients", got)
	}
	if got := record.Calls[0].Fields["firstName"]; got != "Ada" {
		t.Errorf("firstName = %q, want Ada", got)
	}
}

func TestRESTRecordSection(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)

	resp := ts.send(t, restData(http.MethodPatch, "/rest/patients/"+patientID+"/medications", `{"list":"synthetic"}`, ""))

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
	}
	var result struct {
		ID string `json:"id"`
	}
	decodeJSON(t, resp.body, &result)
	record, _ := ts.sim.Patient(SystemREST, patientID)
	if len(record.Calls) != 2 {
		t.Fatalf("patient has %d calls, want 2", len(record.Calls))
	}
	call := record.Calls[1]
	if result.ID == "" {
		t.Errorf("returned id is empty in %s", resp.body)
	}
	if call.Reference != result.ID {
		t.Errorf("recorded reference = %q, want the returned id %q", call.Reference, result.ID)
	}
	if call.Endpoint != "PATCH /patients/r-1000/medications" {
		t.Errorf("endpoint = %q, want PATCH /patients/r-1000/medications", call.Endpoint)
	}
	if call.Fields["list"] != "synthetic" {
		t.Errorf("fields = %v, want list=synthetic", call.Fields)
	}
}

func TestRESTRequestErrors(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.restCreatePatient(t)
	section := "/rest/patients/" + patientID + "/notes"

	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		wantStatus  int
	}{
		{"unknown patient", "/rest/patients/r-9999/notes", jsonType, `{"a":"b"}`, http.StatusNotFound},
		{"athena-style id", "/rest/patients/1000/notes", jsonType, `{"a":"b"}`, http.StatusNotFound},
		{"form body", section, formType, "a=b", http.StatusUnsupportedMediaType},
		{"non-string value", section, jsonType, `{"a":1}`, http.StatusBadRequest},
		{"json array", section, jsonType, `["a"]`, http.StatusBadRequest},
		{"truncated json", section, jsonType, `{"a":`, http.StatusBadRequest},
		{"create with form body", "/rest/patients", formType, "a=b", http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.send(t, request{method: http.MethodPost, path: tt.path, contentType: tt.contentType, body: tt.body})

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			if errorMessage(t, resp.body) == "" {
				t.Errorf("error message is empty in %s", resp.body)
			}
		})
	}

	if got := callCount(ts.sim, SystemREST, patientID); got != 1 {
		t.Errorf("patient has %d calls after rejected requests, want 1", got)
	}
	if got := len(ts.sim.Patients("")); got != 1 {
		t.Errorf("patients = %d after rejected requests, want 1", got)
	}
}

func TestRESTJSONSuffixMediaType(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	resp := ts.send(t, request{method: http.MethodPost, path: "/rest/patients",
		contentType: "application/merge-patch+json; charset=utf-8", body: `{"a":"b"}`})

	if resp.status != http.StatusCreated {
		t.Errorf("status = %d, want 201 (body %s)", resp.status, resp.body)
	}
}

func TestRequestBodyTooLarge(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	large := `{"a":"` + string(make([]byte, maxBodyBytes)) + `"}`

	resp := ts.send(t, request{method: http.MethodPost, path: "/rest/patients", contentType: jsonType, body: large})

	if resp.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.status)
	}
	if got := len(ts.sim.Patients("")); got != 0 {
		t.Errorf("patients = %d, want 0", got)
	}
}
