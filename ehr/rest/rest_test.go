package rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/rest"
	"ehrbridge/ehr/sim"
)

const (
	testClientID = "clinic-client"
	testSecret   = "secret-for-tests"
)

// restRequest is one request the fake REST server received.
type restRequest struct {
	method string
	path   string
	header http.Header
	body   []byte
}

// fakeREST records every request and responds to each with status and body.
type fakeREST struct {
	server *httptest.Server
	status int
	body   string

	mu       sync.Mutex
	requests []restRequest
}

func startFakeREST(t *testing.T, status int, body string) *fakeREST {
	t.Helper()

	fake := &fakeREST{status: status, body: body}
	fake.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fake.mu.Lock()
		fake.requests = append(fake.requests, restRequest{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body})
		fake.mu.Unlock()

		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fake.status)
		_, _ = io.WriteString(w, fake.body)
	}))
	t.Cleanup(fake.server.Close)

	return fake
}

// onlyRequest returns the single request the fake received or stops the
// test.
func (f *fakeREST) onlyRequest(t *testing.T) restRequest {
	t.Helper()

	f.mu.Lock()
	defer f.mu.Unlock()

	if len(f.requests) != 1 {
		t.Fatalf("fake REST server received %d requests, want 1", len(f.requests))
	}

	return f.requests[0]
}

func newTestIntegration(t *testing.T, baseURL string, client *http.Client, authKind string) ehr.Integration {
	t.Helper()

	integration, err := rest.New(ehr.Connection{
		Name: "rest-test", Family: rest.FamilyName, BaseURL: baseURL,
		AuthKind: authKind, ClientID: testClientID, Secret: testSecret,
	}, client)
	if err != nil {
		t.Fatalf("rest.New(auth %q) error: %v", authKind, err)
	}

	return integration
}

func createPatientCall(encoding string) ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint: ehr.Endpoint{
			Name: "patient", Method: http.MethodPost, Path: "/patients", Encoding: encoding, IdentifiesPatient: true,
		},
		Fields: []ehr.MappedField{
			{Target: "firstName", Value: "Elena"},
			{Target: "lastName", Value: "Vasquez-Moore"},
			{Target: "address", Value: "12 Elm St & Apt 3"},
		},
		IdempotencyKey: "txn-1:patient",
	}
}

func notesCall() ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint:       ehr.Endpoint{Name: "notes", Method: http.MethodPut, Path: "/patients/P-1/notes", Encoding: ehr.EncodingJSON},
		Fields:         []ehr.MappedField{{Target: "reason", Value: "Follow-up"}},
		PatientID:      "P-1",
		IdempotencyKey: "txn-1:notes",
	}
}

func requireCallError(t *testing.T, err error) *ehr.CallError {
	t.Helper()

	var callErr *ehr.CallError
	if !errors.As(err, &callErr) {
		t.Fatalf("error = %v (%T), want a *ehr.CallError", err, err)
	}

	return callErr
}

func TestNewRejectsInvalidConnection(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		conn ehr.Connection
	}{
		{"no base URL", ehr.Connection{Name: "rest-test", AuthKind: ehr.AuthNone}},
		{"client credentials", ehr.Connection{Name: "rest-test", BaseURL: "http://127.0.0.1:1", AuthKind: ehr.AuthClientCredentials}},
		{"unity token", ehr.Connection{Name: "rest-test", BaseURL: "http://127.0.0.1:1", AuthKind: ehr.AuthUnityToken}},
		{"unknown kind", ehr.Connection{Name: "rest-test", BaseURL: "http://127.0.0.1:1", AuthKind: "digest"}},
	}
	for _, tc := range cases {
		integration, err := rest.New(tc.conn, http.DefaultClient)
		if err == nil {
			t.Errorf("rest.New(%s) = %v, want an error", tc.name, integration)
		}
	}
}

func TestNewAcceptsSupportedAuthKinds(t *testing.T) {
	t.Parallel()

	for _, kind := range []string{"", ehr.AuthNone, ehr.AuthBearer, ehr.AuthBasic} {
		conn := ehr.Connection{Name: "rest-test", BaseURL: "http://127.0.0.1:1", AuthKind: kind}
		if _, err := rest.New(conn, http.DefaultClient); err != nil {
			t.Errorf("rest.New(auth %q) error: %v", kind, err)
		}
	}
}

func TestCallAuthHeaders(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name      string
		authKind  string
		wantBasic bool
		wantValue string
	}{
		{name: "unset", authKind: ""},
		{name: "none", authKind: ehr.AuthNone},
		{name: "bearer", authKind: ehr.AuthBearer, wantValue: "Bearer " + testSecret},
		{name: "basic", authKind: ehr.AuthBasic, wantBasic: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeREST(t, http.StatusOK, `{}`)
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), tc.authKind)
			if _, err := integration.Call(context.Background(), notesCall()); err != nil {
				t.Fatalf("%s: Call error: %v", tc.name, err)
			}

			request := fake.onlyRequest(t)
			header := request.header.Get("Authorization")
			if tc.wantBasic {
				check := &http.Request{Header: request.header}
				user, password, ok := check.BasicAuth()
				if !ok || user != testClientID || password != testSecret {
					t.Errorf("%s: Basic auth = %q, %v; want the client id and secret", tc.name, user, ok)
				}
				return
			}
			if header != tc.wantValue {
				t.Errorf("%s: Authorization = %q, want %q", tc.name, header, tc.wantValue)
			}
		})
	}
}

func TestCallJSONEncoding(t *testing.T) {
	t.Parallel()

	fake := startFakeREST(t, http.StatusCreated, `{"id":"P-1"}`)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
	if _, err := integration.Call(context.Background(), createPatientCall(ehr.EncodingJSON)); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	request := fake.onlyRequest(t)
	if got := request.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	var body map[string]string
	if err := json.Unmarshal(request.body, &body); err != nil {
		t.Fatalf("body %q is not a JSON object of strings: %v", request.body, err)
	}
	want := map[string]string{"firstName": "Elena", "lastName": "Vasquez-Moore", "address": "12 Elm St & Apt 3"}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("JSON body = %v, want %v", body, want)
	}
}

func TestCallDefaultsToJSONEncoding(t *testing.T) {
	t.Parallel()

	fake := startFakeREST(t, http.StatusCreated, `{"id":"P-1"}`)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
	if _, err := integration.Call(context.Background(), createPatientCall("")); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	if got := fake.onlyRequest(t).header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type without an encoding = %q, want application/json", got)
	}
}

func TestCallFormEncoding(t *testing.T) {
	t.Parallel()

	fake := startFakeREST(t, http.StatusCreated, `{"id":"P-1"}`)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
	if _, err := integration.Call(context.Background(), createPatientCall(ehr.EncodingForm)); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	request := fake.onlyRequest(t)
	if got := request.header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want form encoding", got)
	}
	form, err := url.ParseQuery(string(request.body))
	if err != nil {
		t.Fatalf("body %q is not form encoded: %v", request.body, err)
	}
	for _, field := range createPatientCall(ehr.EncodingForm).Fields {
		if got := form.Get(field.Target); got != field.Value {
			t.Errorf("form field %s = %q, want %q", field.Target, got, field.Value)
		}
	}
}

func TestCallRequestLine(t *testing.T) {
	t.Parallel()

	fake := startFakeREST(t, http.StatusOK, `{}`)
	integration := newTestIntegration(t, fake.server.URL+"/api", fake.server.Client(), ehr.AuthNone)
	if _, err := integration.Call(context.Background(), notesCall()); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	request := fake.onlyRequest(t)
	if request.method != http.MethodPut {
		t.Errorf("method = %s, want PUT", request.method)
	}
	if request.path != "/api/patients/P-1/notes" {
		t.Errorf("path = %q, want the base URL path joined with the endpoint path", request.path)
	}
	if got := request.header.Get(ehr.IdempotencyHeader); got != "txn-1:notes" {
		t.Errorf("%s = %q, want %q", ehr.IdempotencyHeader, got, "txn-1:notes")
	}
	if got := request.header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q, want application/json", got)
	}
}

func TestCallReadsReference(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		body string
		want string
	}{
		{"string id", `{"id":"note-9"}`, "note-9"},
		{"numeric id", `{"id":31}`, "31"},
		{"no id", `{"status":"ok"}`, ""},
		{"empty body", ``, ""},
		{"list body", `[{"id":"note-9"}]`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeREST(t, http.StatusOK, tc.body)
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
			result, err := integration.Call(context.Background(), notesCall())
			if err != nil {
				t.Fatalf("%s: Call error: %v", tc.name, err)
			}
			if result.Reference != tc.want {
				t.Errorf("%s: Reference = %q, want %q", tc.name, result.Reference, tc.want)
			}
			if result.PatientID != "" {
				t.Errorf("%s: PatientID = %q, want empty for a non-identity endpoint", tc.name, result.PatientID)
			}
			if result.HTTPStatus != http.StatusOK {
				t.Errorf("%s: HTTPStatus = %d, want 200", tc.name, result.HTTPStatus)
			}
		})
	}
}

func TestCallReadsPatientID(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		body string
		path string
		want string
	}{
		{"default path", `{"id":"P-1"}`, "", "P-1"},
		{"default path numeric", `{"id":1001}`, "", "1001"},
		{"custom path", `{"data":{"patient":{"mrn":"MRN-5"}}}`, "data.patient.mrn", "MRN-5"},
		{"custom path with index", `{"patients":[{"id":"P-3"}]}`, "patients.0.id", "P-3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeREST(t, http.StatusCreated, tc.body)
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
			call := createPatientCall(ehr.EncodingJSON)
			call.Endpoint.PatientIDPath = tc.path

			result, err := integration.Call(context.Background(), call)
			if err != nil {
				t.Fatalf("%s: Call error: %v", tc.name, err)
			}
			if result.PatientID != tc.want {
				t.Errorf("%s: PatientID = %q, want %q", tc.name, result.PatientID, tc.want)
			}
			if result.HTTPStatus != http.StatusCreated {
				t.Errorf("%s: HTTPStatus = %d, want 201", tc.name, result.HTTPStatus)
			}
		})
	}
}

func TestCallMissingPatientID(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		body string
		path string
	}{
		{"no id key", `{"status":"created"}`, ""},
		{"custom path missing", `{"id":"P-1"}`, "data.patient.id"},
		{"empty id", `{"id":""}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeREST(t, http.StatusCreated, tc.body)
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthNone)
			call := createPatientCall(ehr.EncodingJSON)
			call.Endpoint.PatientIDPath = tc.path

			_, err := integration.Call(context.Background(), call)
			callErr := requireCallError(t, err)
			if callErr.Code != ehr.CallCodeNoPatientID {
				t.Errorf("%s: Code = %q, want %q", tc.name, callErr.Code, ehr.CallCodeNoPatientID)
			}
			if callErr.Class != ehr.FailureUnknown {
				t.Errorf("%s: Class = %q, want %q", tc.name, callErr.Class, ehr.FailureUnknown)
			}
		})
	}
}

func TestCallErrorStatus(t *testing.T) {
	t.Parallel()

	fake := startFakeREST(t, http.StatusUnprocessableEntity, `{"error":"Elena Vasquez-Moore: invalid phone"}`)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client(), ehr.AuthBearer)

	result, err := integration.Call(context.Background(), createPatientCall(ehr.EncodingJSON))
	callErr := requireCallError(t, err)
	if callErr.Class != ehr.FailurePermanent {
		t.Errorf("Class = %q, want %q", callErr.Class, ehr.FailurePermanent)
	}
	if callErr.HTTPStatus != http.StatusUnprocessableEntity {
		t.Errorf("error HTTPStatus = %d, want 422", callErr.HTTPStatus)
	}
	if result.HTTPStatus != http.StatusUnprocessableEntity {
		t.Errorf("result HTTPStatus = %d, want 422", result.HTTPStatus)
	}
	if result.PatientID != "" {
		t.Errorf("PatientID = %q, want empty on failure", result.PatientID)
	}
	for _, secret := range []string{"Vasquez", testSecret} {
		if strings.Contains(callErr.Error(), secret) {
			t.Errorf("error %q contains %q", callErr.Error(), secret)
		}
	}
}

func TestDeliverToSimulator(t *testing.T) {
	t.Parallel()

	simulator := sim.New(sim.Options{})
	server := httptest.NewServer(simulator.Handler())
	t.Cleanup(server.Close)
	integration := newTestIntegration(t, server.URL+"/rest", server.Client(), ehr.AuthNone)

	cfg := rest.DefaultMapping()
	cfg.Endpoints = append(cfg.Endpoints, ehr.Endpoint{
		Name: "allergies", Method: http.MethodPost, Path: "/patients/{patientId}/allergies", Encoding: ehr.EncodingJSON,
		Fields: []ehr.FieldRule{{Source: "allergies", Target: "allergies"}},
	})
	patient := &ehr.Patient{
		FirstName: "Elena", LastName: "Vasquez-Moore", Age: 52, Gender: "female",
		Contact:   ehr.Contact{Email: "elena.vm@example.test", Phone: "+1 415 555 0134"},
		Allergies: []string{"penicillin", "latex"},
	}
	plan, errs := ehr.PlanDelivery(cfg, patient, nil)
	if len(errs) > 0 {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}

	outcomes, patientID := ehr.Deliver(context.Background(), ehr.Delivery{
		Integration: integration, Plan: plan, Patient: patient, IdempotencyPrefix: "txn-sim",
	})

	if patientID == "" {
		t.Fatal("Deliver returned no patient id")
	}
	for _, outcome := range outcomes {
		if outcome.Status != ehr.EndpointSucceeded {
			t.Errorf("%s: Status = %q (%+v), want %q", outcome.Endpoint, outcome.Status, outcome.Err, ehr.EndpointSucceeded)
		}
	}
	record, ok := simulator.Patient(sim.SystemREST, patientID)
	if !ok {
		t.Fatalf("simulator has no REST patient %s", patientID)
	}
	if len(record.Calls) != 2 {
		t.Fatalf("simulator recorded %d calls, want 2", len(record.Calls))
	}
	if got := record.Calls[1].Fields["allergies"]; got != "penicillin, latex" {
		t.Errorf("allergies = %q, want %q", got, "penicillin, latex")
	}
	if got := outcomes[1].Reference; got == "" {
		t.Error("allergies outcome has no Reference, want the simulator's id")
	}
}
