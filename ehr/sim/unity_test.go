package sim

import (
	"net/http"
	"strings"
	"testing"
)

func TestUnityGetToken(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
	}{
		{"credentials", jsonType, `{"Username":"synthetic-user","Password":"synthetic-password"}`, http.StatusOK},
		{"any password", jsonType, `{"Username":"synthetic-user"}`, http.StatusOK},
		{"empty username", jsonType, `{"Username":"","Password":"synthetic-password"}`, http.StatusUnauthorized},
		{"malformed json", jsonType, `{"Username":`, http.StatusBadRequest},
		{"form body", formType, `Username=synthetic-user`, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, request{method: http.MethodPost, path: unityBase + "/GetToken",
				contentType: tt.contentType, body: tt.body})

			if resp.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			if tt.wantStatus != http.StatusOK {
				return
			}
			if !strings.HasPrefix(resp.header.Get("Content-Type"), "text/plain") {
				t.Errorf("content type = %q, want text/plain", resp.header.Get("Content-Type"))
			}
			if resp.body == "" || strings.ContainsAny(resp.body, "\"{} \n") {
				t.Errorf("body = %q, want a bare token", resp.body)
			}
		})
	}
}

func TestUnitySavePatient(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.unityToken(t)

	first := ts.send(t, unityCall(map[string]any{"Action": "SavePatient", "Token": token,
		"AppUserID": "synthetic-user", "Appname": "ehrbridge", "Data": map[string]string{"LastName": "Synthetic"}}, ""))
	second := ts.send(t, unityCall(map[string]any{"Action": "SavePatient", "Token": token}, ""))

	if first.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", first.status, first.body)
	}
	if first.body != `[{"savepatientinfo":[{"PatientID":"1000"}]}]` {
		t.Errorf("first body = %s", first.body)
	}
	if second.body != `[{"savepatientinfo":[{"PatientID":"1001"}]}]` {
		t.Errorf("second body = %s", second.body)
	}

	record, ok := ts.sim.Patient(SystemUnity, "1000")
	if !ok {
		t.Fatal("unity patient 1000 is not stored")
	}
	call := record.Calls[0]
	if call.Endpoint != "SavePatient" {
		t.Errorf("endpoint = %q, want SavePatient", call.Endpoint)
	}
	if call.Action != "SavePatient" {
		t.Errorf("action = %q, want SavePatient", call.Action)
	}
	if call.Fields["LastName"] != "Synthetic" {
		t.Errorf("fields = %v, want LastName Synthetic", call.Fields)
	}
}

func TestUnitySaveActionRecords(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.unityToken(t)
	ts.send(t, unityCall(map[string]any{"Action": "SavePatient", "Token": token}, ""))

	resp := ts.send(t, unityCall(map[string]any{
		"Action": "SaveAllergy", "Token": token, "PatientID": "1000",
		"Parameter1": "synthetic-allergen", "Parameter3": "mild",
		"Data": map[string]string{"Comment": "synthetic comment"},
	}, ""))

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.status, resp.body)
	}
	if resp.body != `[{"saveallergyinfo":[{"Status":"OK"}]}]` {
		t.Errorf("body = %s", resp.body)
	}

	record, _ := ts.sim.Patient(SystemUnity, "1000")
	if len(record.Calls) != 2 {
		t.Fatalf("patient has %d calls, want 2", len(record.Calls))
	}
	call := record.Calls[1]
	wantFields := map[string]string{"Comment": "synthetic comment", "Parameter1": "synthetic-allergen", "Parameter3": "mild"}
	if len(call.Fields) != len(wantFields) {
		t.Errorf("fields = %v, want %v", call.Fields, wantFields)
	}
	for name, want := range wantFields {
		if call.Fields[name] != want {
			t.Errorf("field %s = %q, want %q", name, call.Fields[name], want)
		}
	}
	if call.Endpoint != "SaveAllergy" {
		t.Errorf("endpoint = %q, want SaveAllergy", call.Endpoint)
	}
	if call.Path != unityBase+"/MagicJson" {
		t.Errorf("path = %q, want %s/MagicJson", call.Path, unityBase)
	}
}

func TestUnityMagicJSONErrors(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	token := ts.unityToken(t)
	athenaToken := ts.athenaToken(t)
	ts.send(t, unityCall(map[string]any{"Action": "SavePatient", "Token": token}, ""))

	tests := []struct {
		name       string
		envelope   map[string]any
		wantStatus int
		wantError  string
	}{
		{"missing token", map[string]any{"Action": "SavePatient"}, http.StatusUnauthorized, "invalid token"},
		{"unknown token", map[string]any{"Action": "SavePatient", "Token": "not-issued"}, http.StatusUnauthorized, "invalid token"},
		{"athena token", map[string]any{"Action": "SavePatient", "Token": athenaToken}, http.StatusUnauthorized, "invalid token"},
		{"unknown patient", map[string]any{"Action": "SaveProblem", "Token": token, "PatientID": "4242"}, http.StatusNotFound, "patient not found"},
		{"missing patient id", map[string]any{"Action": "SaveProblem", "Token": token}, http.StatusNotFound, "patient not found"},
		{"get action", map[string]any{"Action": "GetPatient", "Token": token, "PatientID": "1000"}, http.StatusBadRequest, "unknown action"},
		{"empty action", map[string]any{"Token": token}, http.StatusBadRequest, "unknown action"},
		{"non-string data", map[string]any{"Action": "SaveProblem", "Token": token, "PatientID": "1000", "Data": map[string]int{"n": 1}}, http.StatusBadRequest, ""},
		{"data as string", map[string]any{"Action": "SaveProblem", "Token": token, "PatientID": "1000", "Data": "text"}, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, unityCall(tt.envelope, ""))

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			message := errorMessage(t, resp.body)
			if tt.wantError != "" && message != tt.wantError {
				t.Errorf("error = %q, want %q", message, tt.wantError)
			}
		})
	}
}

func TestUnityMalformedEnvelope(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})

	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
	}{
		{"truncated json", jsonType, `{"Action":`, http.StatusBadRequest},
		{"json array", jsonType, `[1,2]`, http.StatusBadRequest},
		{"form body", formType, `Action=SavePatient`, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			resp := ts.send(t, request{method: http.MethodPost, path: unityBase + "/MagicJson",
				contentType: tt.contentType, body: tt.body})

			if resp.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.status, tt.wantStatus, resp.body)
			}
			if errorMessage(t, resp.body) == "" {
				t.Errorf("error message is empty in %s", resp.body)
			}
		})
	}
}
