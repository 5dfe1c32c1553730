package sim

import (
	"net/http"
	"net/url"
	"testing"
)

func TestAthenaToken(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantError  string
	}{
		{
			name:       "client credentials",
			req:        request{contentType: formType, body: "grant_type=client_credentials", basicUser: "synthetic-client"},
			wantStatus: http.StatusOK,
		},
		{
			name:       "wrong grant type",
			req:        request{contentType: formType, body: "grant_type=password", basicUser: "synthetic-client"},
			wantStatus: http.StatusBadRequest,
			wantError:  "unsupported_grant_type",
		},
		{
			name:       "missing grant type",
			req:        request{contentType: formType, body: "", basicUser: "synthetic-client"},
			wantStatus: http.StatusBadRequest,
			wantError:  "unsupported_grant_type",
		},
		{
			name:       "no basic auth",
			req:        request{contentType: formType, body: "grant_type=client_credentials"},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name: "empty client id",
			req: request{contentType: formType, body: "grant_type=client_credentials",
				header: map[string]string{"Authorization": "Basic OnNlY3JldA=="}}, // ":secret"
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.req.method, tt.req.path = http.MethodPost, athenaTokenPath

			resp := ts.send(t, tt.req)

			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			if tt.wantError != "" {
				if got := errorMessage(t, resp.body); got != tt.wantError {
					t.Errorf("error = %q, want %q", got, tt.wantError)
				}
				return
			}
			var token struct {
				AccessToken string `json:"access_token"`
				TokenType   string `json:"token_type"`
				ExpiresIn   int    `json:"expires_in"`
			}
			decodeJSON(t, resp.body, &token)
			if token.AccessToken == "" {
				t.Errorf("access_token is empty in %s", resp.body)
			}
			if token.TokenType != "Bearer" {
				t.Errorf("token_type = %q, want Bearer", token.TokenType)
			}
			if token.ExpiresIn != 3600 {
				t.Errorf("expires_in = %d, want 3600", token.ExpiresIn)
			}
		})
	}
}

func TestAthenaTokensAreDistinct(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	first, second := ts.athenaToken(t), ts.athenaToken(t)

	if first == second {
		t.Errorf("two token requests returned the same token %q", first)
	}
}

func TestAthenaCreatePatient(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)

	resp := ts.send(t, athenaData(http.MethodPost, athenaBase+"/patients", token,
		url.Values{"firstname": {"Ada"}, "lastname": {"Synthetic"}}, ""))
	second := ts.athenaCreatePatient(t, token)

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
	}
	if resp.body != `[{"patientid":"1000"}]` {
		t.Errorf("body = %s, want [{\"patientid\":\"1000\"}]", resp.body)
	}
	if second != "1001" {
		t.Errorf("second patient id = %q, want 1001", second)
	}

	record, ok := ts.sim.Patient(SystemAthena, "1000")
	if !ok {
		t.Fatal("patient 1000 is not stored")
	}
	if len(record.Calls) != 1 {
		t.Fatalf("patient 1000 has %d calls, want the creating call only", len(record.Calls))
	}
	call := record.Calls[0]
	if call.Endpoint != "POST /v1/195900/patients" {
		t.Errorf("endpoint = %q, want POST /v1/195900/patients", call.Endpoint)
	}
	if call.PatientID != "1000" {
		t.Errorf("call patient id = %q, want 1000", call.PatientID)
	}
	if got := call.Fields["firstname"]; got != "Ada" {
		t.Errorf("firstname = %q, want Ada", got)
	}
	if got := call.Fields["lastname"]; got != "Synthetic" {
		t.Errorf("lastname = %q, want Synthetic", got)
	}
}

func TestAthenaRecordSection(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	patientID := ts.athenaCreatePatient(t, token)

	tests := []struct {
		name         string
		method       string
		path         string
		wantEndpoint string
	}{
		{"chart section", http.MethodPost, "/chart/" + patientID + "/medicalhistory", "POST /v1/195900/chart/1000/medicalhistory"},
		{"patients section", http.MethodPut, "/patients/" + patientID + "/insurances", "PUT /v1/195900/patients/1000/insurances"},
		{"nested section", http.MethodPost, "/chart/" + patientID + "/encounter/7/vitals", "POST /v1/195900/chart/1000/encounter/7/vitals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.send(t, athenaData(tt.method, athenaBase+tt.path, token, url.Values{"note": {"synthetic"}}, ""))

			if resp.status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
			}
			var result struct {
				Success     bool   `json:"success"`
				ReferenceID string `json:"referenceid"`
			}
			decodeJSON(t, resp.body, &result)
			if !result.Success {
				t.Errorf("success = false in %s", resp.body)
			}

			record, _ := ts.sim.Patient(SystemAthena, patientID)
			last := record.Calls[len(record.Calls)-1]
			if last.Endpoint != tt.wantEndpoint {
				t.Errorf("endpoint = %q, want %q", last.Endpoint, tt.wantEndpoint)
			}
			if last.Method != tt.method {
				t.Errorf("method = %q, want %q", last.Method, tt.method)
			}
			if last.Path != athenaBase+tt.path {
				t.Errorf("path = %q, want %q", last.Path, athenaBase+tt.path)
			}
			if last.Reference != result.ReferenceID {
				t.Errorf("recorded reference = %q, returned referenceid %q", last.Reference, result.ReferenceID)
			}
			if last.Fields["note"] != "synthetic" {
				t.Errorf("fields = %v, want note=synthetic", last.Fields)
			}
		})
	}

	if got := callCount(ts.sim, SystemAthena, patientID); got != 1+len(tests) {
		t.Errorf("patient has %d calls, want %d", got, 1+len(tests))
	}
}

func TestAthenaTokenEnforced(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	patientID := ts.athenaCreatePatient(t, ts.athenaToken(t))
	unityToken := ts.unityToken(t)

	tests := []struct {
		name   string
		header map[string]string
	}{
		{"no authorization", map[string]string{}},
		{"unknown token", map[string]string{"Authorization": "Bearer not-issued"}},
		{"basic scheme", map[string]string{"Authorization": "Basic c3ludGhldGljOnNlY3JldA=="}},
		{"unity token", map[string]string{"Authorization": "Bearer " + unityToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := []string{athenaBase + "/patients", athenaBase + "/chart/" + patientID + "/allergies"}
			for _, path := range paths {
				resp := ts.send(t, request{method: http.MethodPost, path: path, contentType: formType,
					body: "a=b", header: tt.header})

				if resp.status != http.StatusUnauthorized {
					t.Errorf("%s: status = %d, want 401", path, resp.status)
				}
				if got := errorMessage(t, resp.body); got != "invalid_token" {
					t.Errorf("%s: error = %q, want invalid_token", path, got)
				}
			}
		})
	}

	if got := len(ts.sim.Patients(SystemAthena)); got != 1 {
		t.Errorf("athena patients = %d, want 1", got)
	}
	if got := callCount(ts.sim, SystemAthena, patientID); got != 1 {
		t.Errorf("patient has %d calls, want 1", got)
	}
}

func TestAthenaRequestErrors(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	patientID := ts.athenaCreatePatient(t, token)
	auth := map[string]string{"Authorization": "Bearer " + token}

	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		wantStatus  int
		wantError   string
	}{
		{"unknown patient", "/chart/999999/allergies", formType, "a=b", http.StatusNotFound, "patient not found"},
		{"json body", "/chart/" + patientID + "/allergies", jsonType, `{"a":"b"}`, http.StatusUnsupportedMediaType, ""},
		{"malformed form", "/chart/" + patientID + "/allergies", formType, "a=%zz", http.StatusBadRequest, ""},
		{"missing section", "/chart/" + patientID + "/", formType, "a=b", http.StatusNotFound, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.send(t, request{method: http.MethodPost, path: athenaBase + tt.path,
				contentType: tt.contentType, body: tt.body, header: auth})

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			message := errorMessage(t, resp.body)
			if tt.wantError != "" && message != tt.wantError {
				t.Errorf("error = %q, want %q", message, tt.wantError)
			}
			if message == "" {
				t.Errorf("error message is empty in %s", resp.body)
			}
		})
	}

	if got := callCount(ts.sim, SystemAthena, patientID); got != 1 {
		t.Errorf("patient has %d calls after rejected requests, want 1", got)
	}
}

func TestAthenaEmptyBodyAccepted(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.athenaToken(t)
	patientID := ts.athenaCreatePatient(t, token)

	resp := ts.send(t, request{method: http.MethodGet, path: athenaBase + "/chart/" + patientID + "/problems",
		header: map[string]string{"Authorization": "Bearer " + token}})

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
	}
	record, _ := ts.sim.Patient(SystemAthena, patientID)
	if got := len(record.Calls[1].Fields); got != 0 {
		t.Errorf("fields of a bodyless call = %d, want 0", got)
	}
}
