package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	athenaBase = "/athena/v1/195900"
	unityBase  = "/unity/Unity/UnityService.svc/json"
	formType   = "application/x-www-form-urlencoded"
	jsonType   = "application/json"
)

// testServer is a simulator behind a local httptest server.
type testServer struct {
	sim    *Simulator
	server *httptest.Server
}

func startSimulator(t *testing.T, opts Options) *testServer {
	t.Helper()

	sim := New(opts)

	return &testServer{sim: sim, server: newServer(t, sim.Handler())}
}

func newServer(t *testing.T, handler http.Handler) *httptest.Server {
	t.Helper()

	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)

	return server
}

// request describes one HTTP request to the test server.
type request struct {
	method      string
	path        string
	contentType string
	body        string
	header      map[string]string
	basicUser   string
}

type testResponse struct {
	status int
	header http.Header
	body   string
}

// newHTTPRequest builds req against the test server.
func (ts *testServer) newHTTPRequest(req request) (*http.Request, error) {
	httpReq, err := http.NewRequest(req.method, ts.server.URL+req.path, strings.NewReader(req.body))
	if err != nil {
		return nil, err
	}
	if req.contentType != "" {
		httpReq.Header.Set("Content-Type", req.contentType)
	}
	for name, value := range req.header {
		httpReq.Header.Set(name, value)
	}
	if req.basicUser != "" {
		httpReq.SetBasicAuth(req.basicUser, "synthetic-secret")
	}

	return httpReq, nil
}

// sendWith sends req with client and returns the transport error, if any.
// It does not stop the test, so goroutines may call it.
func (ts *testServer) sendWith(client *http.Client, req request) (testResponse, error) {
	httpReq, err := ts.newHTTPRequest(req)
	if err != nil {
		return testResponse{}, err
	}
	httpResp, err := client.Do(httpReq)
	if err != nil {
		return testResponse{}, err
	}
	defer httpResp.Body.Close()

	body, err := io.ReadAll(httpResp.Body)
	if err != nil {
		return testResponse{}, err
	}

	return testResponse{status: httpResp.StatusCode, header: httpResp.Header, body: string(body)}, nil
}

// send sends req and fails the test on a transport error.
func (ts *testServer) send(t *testing.T, req request) testResponse {
	t.Helper()

	resp, err := ts.sendWith(ts.server.Client(), req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}

	return resp
}

func (ts *testServer) athenaToken(t *testing.T) string {
	t.Helper()

	resp := ts.send(t, request{method: http.MethodPost, path: athenaTokenPath, contentType: formType,
		body: "grant_type=client_credentials", basicUser: "synthetic-client"})
	if resp.status != http.StatusOK {
		t.Fatalf("athena token: status %d, body %s", resp.status, resp.body)
	}
	var token struct {
		AccessToken string `json:"access_token"`
	}
	decodeJSON(t, resp.body, &token)

	return token.AccessToken
}

// athenaData builds an authenticated athena request with form fields.
func athenaData(method, path, token string, fields url.Values, idempotencyKey string) request {
	header := map[string]string{"Authorization": "Bearer " + token}
	if idempotencyKey != "" {
		header["Idempotency-Key"] = idempotencyKey
	}

	return request{method: method, path: path, contentType: formType, body: fields.Encode(), header: header}
}

// athenaCreatePatient creates an athena patient and returns its id.
func (ts *testServer) athenaCreatePatient(t *testing.T, token string) string {
	t.Helper()

	resp := ts.send(t, athenaData(http.MethodPost, athenaBase+"/patients", token, url.Values{"lastname": {"Synthetic"}}, ""))
	if resp.status != http.StatusOK {
		t.Fatalf("athena create patient: status %d, body %s", resp.status, resp.body)
	}
	var created []struct {
		PatientID string `json:"patientid"`
	}
	decodeJSON(t, resp.body, &created)
	if len(created) != 1 {
		t.Fatalf("athena create patient: body %s, want one element", resp.body)
	}

	return created[0].PatientID
}

func (ts *testServer) unityToken(t *testing.T) string {
	t.Helper()

	resp := ts.send(t, request{method: http.MethodPost, path: unityBase + "/GetToken", contentType: jsonType,
		body: `{"Username":"synthetic-user","Password":"synthetic-password"}`})
	if resp.status != http.StatusOK {
		t.Fatalf("unity token: status %d, body %s", resp.status, resp.body)
	}

	return resp.body
}

// unityCall builds a MagicJson request from the envelope. It panics when
// the envelope cannot be encoded, which only a broken test can cause.
func unityCall(envelope map[string]any, idempotencyKey string) request {
	body, err := json.Marshal(envelope)
	if err != nil {
		panic("encoding MagicJson envelope: " + err.Error())
	}
	req := request{method: http.MethodPost, path: unityBase + "/MagicJson", contentType: jsonType, body: string(body)}
	if idempotencyKey != "" {
		req.header = map[string]string{"Idempotency-Key": idempotencyKey}
	}

	return req
}

// restCreatePatient creates a rest patient and returns its id.
func (ts *testServer) restCreatePatient(t *testing.T) string {
	t.Helper()

	resp := ts.send(t, restData(http.MethodPost, "/rest/patients", `{"lastName":"Synthetic"}`, ""))
	if resp.status != http.StatusCreated {
		t.Fatalf("rest create patient: status %d, body %s", resp.status, resp.body)
	}
	var created struct {
		ID string `json:"id"`
	}
	decodeJSON(t, resp.body, &created)

	return created.ID
}

func restData(method, path, body, idempotencyKey string) request {
	req := request{method: method, path: path, contentType: jsonType, body: body}
	if idempotencyKey != "" {
		req.header = map[string]string{"Idempotency-Key": idempotencyKey}
	}

	return req
}

func decodeJSON(t *testing.T, body string, target any) {
	t.Helper()

	if err := jsonUnmarshal(body, target); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
}

func jsonUnmarshal(body string, target any) error {
	return json.Unmarshal([]byte(body), target)
}

// errorMessage returns the "error" member of a JSON error body.
func errorMessage(t *testing.T, body string) string {
	t.Helper()

	var payload struct {
		Error string `json:"error"`
	}
	decodeJSON(t, body, &payload)

	return payload.Error
}

// callCount returns the number of calls recorded on a patient, or -1 when
// the patient is unknown.
func callCount(sim *Simulator, system, patientID string) int {
	record, ok := sim.Patient(system, patientID)
	if !ok {
		return -1
	}

	return len(record.Calls)
}
