package athena_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/athena"
	"ehrbridge/ehr/sim"
)

const (
	testClientID = "client-ehrbridge"
	testSecret   = "secret-for-tests"
	testPractice = "195900"
)

// athenaRequest is one request the fake athena server received.
type athenaRequest struct {
	method   string
	path     string
	header   http.Header
	form     url.Values
	user     string
	password string
	hasBasic bool
}

// fakeAthena mimics athena's API shape: a client-credentials token endpoint
// that hands out "token-1", "token-2", ... and data endpoints that take form
// bodies and respond with identityBody.
type fakeAthena struct {
	server *httptest.Server

	mu sync.Mutex
	// tokenStatus, when set, is the status of every token request.
	tokenStatus int
	// tokenBody, when set, replaces the token endpoint's JSON response.
	tokenBody string
	// rejectData is how many of the next data calls get HTTP 401.
	rejectData    int
	identityBody  string
	issued        int
	tokenRequests []athenaRequest
	dataRequests  []athenaRequest
}

func startFakeAthena(t *testing.T) *fakeAthena {
	t.Helper()

	fake := &fakeAthena{identityBody: `[{"patientid":"123"}]`}
	fake.server = httptest.NewServer(http.HandlerFunc(fake.serveHTTP))
	t.Cleanup(fake.server.Close)

	return fake
}

func (f *fakeAthena) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	user, password, hasBasic := r.BasicAuth()
	request := athenaRequest{
		method: r.Method, path: r.URL.Path, header: r.Header.Clone(), form: form,
		user: user, password: password, hasBasic: hasBasic,
	}

	f.mu.Lock()
	defer f.mu.Unlock()

	if r.URL.Path == "/oauth2/v1/token" {
		f.tokenRequests = append(f.tokenRequests, request)
		f.writeToken(w)
		return
	}
	f.dataRequests = append(f.dataRequests, request)
	if f.rejectData > 0 {
		f.rejectData--
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, f.identityBody)
}

func (f *fakeAthena) writeToken(w http.ResponseWriter) {
	if f.tokenStatus != 0 {
		http.Error(w, `{"error":"token endpoint failure"}`, f.tokenStatus)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if f.tokenBody != "" {
		_, _ = io.WriteString(w, f.tokenBody)
		return
	}
	f.issued++
	_, _ = fmt.Fprintf(w, `{"access_token":"token-%d","token_type":"Bearer","expires_in":3600}`, f.issued)
}

// set changes the fake's settings under its lock.
func (f *fakeAthena) set(change func(f *fakeAthena)) {
	f.mu.Lock()
	defer f.mu.Unlock()

	change(f)
}

func (f *fakeAthena) tokens() []athenaRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return append([]athenaRequest(nil), f.tokenRequests...)
}

func (f *fakeAthena) data() []athenaRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return append([]athenaRequest(nil), f.dataRequests...)
}

func newTestIntegration(t *testing.T, baseURL string, client *http.Client) ehr.Integration {
	t.Helper()

	integration, err := athena.New(ehr.Connection{
		Name: "athena-test", Family: athena.FamilyName, BaseURL: baseURL, PracticeID: testPractice,
		AuthKind: ehr.AuthClientCredentials, ClientID: testClientID, Secret: testSecret,
	}, client)
	if err != nil {
		t.Fatalf("athena.New error: %v", err)
	}

	return integration
}

// demographicsCall is a patient-create call with a path already expanded.
func demographicsCall() ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint: ehr.Endpoint{
			Name: "patient_demographics", Method: http.MethodPost, Path: "/v1/" + testPractice + "/patients",
			Encoding: ehr.EncodingForm, IdentifiesPatient: true,
		},
		Fields: []ehr.MappedField{
			{Target: "PATIENT_FIRST_NAME", Value: "Elena"},
			{Target: "PATIENT_LAST_NAME", Value: "Vasquez-Moore"},
			{Target: "PATIENT_LOCATION_ADDRESS", Value: "12 Elm St & Apt 3"},
		},
		IdempotencyKey: "txn-1:patient_demographics",
	}
}

// historyCall is a data call that does not identify the patient.
func historyCall() ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint: ehr.Endpoint{
			Name: "medical_history", Method: http.MethodPost, Path: "/v1/" + testPractice + "/chart/123/medicalhistory",
			Encoding: ehr.EncodingForm,
		},
		Fields:         []ehr.MappedField{{Target: "ALLERGIES_PATIENT", Value: "penicillin, latex"}},
		PatientID:      "123",
		IdempotencyKey: "txn-1:medical_history",
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

func TestNewRequiresBaseURL(t *testing.T) {
	t.Parallel()

	integration, err := athena.New(ehr.Connection{Name: "athena-test", ClientID: testClientID}, http.DefaultClient)
	if err == nil {
		t.Errorf("athena.New without a base URL = %v, want an error", integration)
	}
}

func TestFamilyRegistered(t *testing.T) {
	t.Parallel()

	family, ok := ehr.LookupFamily(athena.FamilyName)
	if !ok {
		t.Fatalf("family %q not registered", athena.FamilyName)
	}
	if family.DefaultAuthKind != ehr.AuthClientCredentials {
		t.Errorf("DefaultAuthKind = %q, want %q", family.DefaultAuthKind, ehr.AuthClientCredentials)
	}
	if !family.PatientEndpoint.IdentifiesPatient {
		t.Error("PatientEndpoint does not identify the patient")
	}
}

func TestCallReusesTokenAcrossConcurrentCalls(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	const calls = 20
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			_, errs[i] = integration.Call(context.Background(), historyCall())
		})
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: error: %v", i, err)
		}
	}
	if got := len(fake.tokens()); got != 1 {
		t.Errorf("token requests = %d for %d concurrent calls, want 1", got, calls)
	}
	data := fake.data()
	if len(data) != calls {
		t.Errorf("data requests = %d, want %d", len(data), calls)
	}
	for i, request := range data {
		if got := request.header.Get("Authorization"); got != "Bearer token-1" {
			t.Errorf("data request %d: Authorization = %q, want %q", i, got, "Bearer token-1")
		}
	}
}

func TestTokenRequestUsesClientCredentials(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())
	if _, err := integration.Call(context.Background(), historyCall()); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	tokens := fake.tokens()
	if len(tokens) != 1 {
		t.Fatalf("token requests = %d, want 1", len(tokens))
	}
	request := tokens[0]
	if request.method != http.MethodPost {
		t.Errorf("token request method = %s, want POST", request.method)
	}
	if !request.hasBasic {
		t.Fatal("token request has no Basic authorization")
	}
	if request.user != testClientID {
		t.Errorf("Basic user = %q, want the client id %q", request.user, testClientID)
	}
	if request.password != testSecret {
		t.Error("Basic password is not the connection secret")
	}
	if got := request.form.Get("grant_type"); got != "client_credentials" {
		t.Errorf("grant_type = %q, want client_credentials", got)
	}
	if got := request.header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("token request Content-Type = %q, want form encoding", got)
	}
}

func TestCallSendsFormFields(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())
	call := demographicsCall()
	if _, err := integration.Call(context.Background(), call); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	data := fake.data()
	if len(data) != 1 {
		t.Fatalf("data requests = %d, want 1", len(data))
	}
	request := data[0]
	if request.method != http.MethodPost {
		t.Errorf("method = %s, want POST", request.method)
	}
	if request.path != "/v1/195900/patients" {
		t.Errorf("path = %q, want %q", request.path, "/v1/195900/patients")
	}
	for _, field := range call.Fields {
		if got := request.form.Get(field.Target); got != field.Value {
			t.Errorf("form field %s = %q, want %q", field.Target, got, field.Value)
		}
	}
	if len(request.form) != len(call.Fields) {
		t.Errorf("form has %d fields, want %d", len(request.form), len(call.Fields))
	}
	headers := map[string]string{
		"Content-Type":        "application/x-www-form-urlencoded",
		"Accept":              "application/json",
		"Authorization":       "Bearer token-1",
		ehr.IdempotencyHeader: "txn-1:patient_demographics",
	}
	for name, want := range headers {
		if got := request.header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
}

func TestCallRefreshesTokenAfter401(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())
	if _, err := integration.Call(context.Background(), historyCall()); err != nil {
		t.Fatalf("first Call error: %v", err)
	}

	fake.set(func(f *fakeAthena) { f.rejectData = 1 })
	result, err := integration.Call(context.Background(), historyCall())
	if err != nil {
		t.Fatalf("Call after a 401 error: %v", err)
	}
	if result.HTTPStatus != http.StatusOK {
		t.Errorf("HTTPStatus = %d, want 200 from the retry", result.HTTPStatus)
	}

	if got := len(fake.tokens()); got != 2 {
		t.Errorf("token requests = %d, want 2", got)
	}
	data := fake.data()
	if len(data) != 3 {
		t.Fatalf("data requests = %d, want 3 (first call, rejected call, retry)", len(data))
	}
	if got := data[1].header.Get("Authorization"); got != "Bearer token-1" {
		t.Errorf("rejected call Authorization = %q, want the cached token", got)
	}
	if got := data[2].header.Get("Authorization"); got != "Bearer token-2" {
		t.Errorf("retry Authorization = %q, want the new token", got)
	}
	if got := data[2].header.Get(ehr.IdempotencyHeader); got != "txn-1:medical_history" {
		t.Errorf("retry %s = %q, want the same key", ehr.IdempotencyHeader, got)
	}

	// The new token is cached for later calls.
	if _, err := integration.Call(context.Background(), historyCall()); err != nil {
		t.Fatalf("Call after the refresh error: %v", err)
	}
	if got := len(fake.tokens()); got != 2 {
		t.Errorf("token requests after one more call = %d, want 2", got)
	}
}

func TestCallSecond401IsPermanent(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	fake.set(func(f *fakeAthena) { f.rejectData = 100 })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	result, err := integration.Call(context.Background(), historyCall())
	callErr := requireCallError(t, err)
	if callErr.Class != ehr.FailurePermanent {
		t.Errorf("Class = %q, want %q", callErr.Class, ehr.FailurePermanent)
	}
	if callErr.HTTPStatus != http.StatusUnauthorized {
		t.Errorf("error HTTPStatus = %d, want 401", callErr.HTTPStatus)
	}
	if result.HTTPStatus != http.StatusUnauthorized {
		t.Errorf("result HTTPStatus = %d, want 401", result.HTTPStatus)
	}
	if got := len(fake.data()); got != 2 {
		t.Errorf("data requests = %d, want 2 (one retry only)", got)
	}
	if got := len(fake.tokens()); got != 2 {
		t.Errorf("token requests = %d, want 2", got)
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
		{"default path", `[{"patientid":"123"}]`, "", "123"},
		{"numeric id", `[{"patientid":456}]`, "", "456"},
		{"configured path", `{"patient":{"id":"P-9"}}`, "patient.id", "P-9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeAthena(t)
			fake.set(func(f *fakeAthena) { f.identityBody = tc.body })
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

			call := demographicsCall()
			call.Endpoint.PatientIDPath = tc.path
			result, err := integration.Call(context.Background(), call)
			if err != nil {
				t.Fatalf("%s: Call error: %v", tc.name, err)
			}
			if result.PatientID != tc.want {
				t.Errorf("%s: PatientID = %q, want %q", tc.name, result.PatientID, tc.want)
			}
		})
	}
}

func TestCallIgnoresPatientIDOfOtherEndpoints(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	result, err := integration.Call(context.Background(), historyCall())
	if err != nil {
		t.Fatalf("Call error: %v", err)
	}
	if result.PatientID != "" {
		t.Errorf("PatientID = %q, want empty for an endpoint that does not identify the patient", result.PatientID)
	}
}

func TestCallMissingPatientID(t *testing.T) {
	t.Parallel()

	for _, body := range []string{`[{"success":true}]`, `[]`, `not json`} {
		fake := startFakeAthena(t)
		fake.set(func(f *fakeAthena) { f.identityBody = body })
		integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

		_, err := integration.Call(context.Background(), demographicsCall())
		callErr := requireCallError(t, err)
		if callErr.Code != ehr.CallCodeNoPatientID {
			t.Errorf("body %s: Code = %q, want %q", body, callErr.Code, ehr.CallCodeNoPatientID)
		}
		if callErr.Class != ehr.FailureUnknown {
			t.Errorf("body %s: Class = %q, want %q", body, callErr.Class, ehr.FailureUnknown)
		}
	}
}

func TestCallTokenFailure(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name      string
		status    int
		body      string
		wantClass ehr.FailureClass
		wantHTTP  int
	}{
		{name: "unavailable", status: http.StatusServiceUnavailable, wantClass: ehr.FailureRetryable, wantHTTP: 503},
		{name: "bad request", status: http.StatusBadRequest, wantClass: ehr.FailurePermanent, wantHTTP: 400},
		{name: "unauthorized client", status: http.StatusUnauthorized, wantClass: ehr.FailurePermanent, wantHTTP: 401},
		{name: "no access token", body: `{"token_type":"Bearer"}`, wantClass: ehr.FailureRetryable},
		{name: "not JSON", body: `<html>maintenance</html>`, wantClass: ehr.FailureRetryable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeAthena(t)
			fake.set(func(f *fakeAthena) { f.tokenStatus, f.tokenBody = tc.status, tc.body })
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

			_, err := integration.Call(context.Background(), historyCall())
			callErr := requireCallError(t, err)
			if callErr.Code != ehr.CallCodeAuth {
				t.Errorf("%s: Code = %q, want %q", tc.name, callErr.Code, ehr.CallCodeAuth)
			}
			if callErr.Class != tc.wantClass {
				t.Errorf("%s: Class = %q, want %q", tc.name, callErr.Class, tc.wantClass)
			}
			if callErr.HTTPStatus != tc.wantHTTP {
				t.Errorf("%s: HTTPStatus = %d, want %d", tc.name, callErr.HTTPStatus, tc.wantHTTP)
			}
			if got := len(fake.data()); got != 0 {
				t.Errorf("%s: data requests = %d, want 0 without a token", tc.name, got)
			}
			if strings.Contains(callErr.Error(), testSecret) {
				t.Errorf("%s: error %q contains the secret", tc.name, callErr.Error())
			}
		})
	}
}

// A 401 from the token endpoint means the client credentials are wrong,
// not that a cached token went stale, so asking again only adds a failed
// login at the EHR.
func TestCallRejectedCredentialsRequestTokenOnce(t *testing.T) {
	t.Parallel()

	fake := startFakeAthena(t)
	fake.set(func(f *fakeAthena) { f.tokenStatus = http.StatusUnauthorized })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	_, err := integration.Call(context.Background(), historyCall())
	if callErr := requireCallError(t, err); callErr.Code != ehr.CallCodeAuth {
		t.Errorf("Code = %q, want %q", callErr.Code, ehr.CallCodeAuth)
	}
	if got := len(fake.tokens()); got != 1 {
		t.Errorf("token requests = %d for one call with rejected credentials, want 1", got)
	}
}

func TestCallDataErrorStatus(t *testing.T) {
	t.Parallel()

	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v1/token" {
			_, _ = io.WriteString(w, `{"access_token":"token-1","expires_in":3600}`)
			return
		}
		http.Error(w, `{"error":"Elena Vasquez-Moore already exists"}`, http.StatusConflict)
	}))
	t.Cleanup(server.Close)
	integration := newTestIntegration(t, server.URL, server.Client())

	result, err := integration.Call(context.Background(), demographicsCall())
	callErr := requireCallError(t, err)
	if callErr.Class != ehr.FailurePermanent || callErr.HTTPStatus != http.StatusConflict {
		t.Errorf("error = %+v, want permanent HTTP 409", callErr)
	}
	if result.HTTPStatus != http.StatusConflict {
		t.Errorf("result HTTPStatus = %d, want 409", result.HTTPStatus)
	}
	if strings.Contains(callErr.Error(), "Vasquez") {
		t.Errorf("error %q contains the response body", callErr.Error())
	}
}

// startSimulator serves the simulator at the root of a local server.
func startSimulator(t *testing.T) (*sim.Simulator, *httptest.Server) {
	t.Helper()

	simulator := sim.New(sim.Options{})
	server := httptest.NewServer(simulator.Handler())
	t.Cleanup(server.Close)

	return simulator, server
}

func TestDeliverDefaultMappingToSimulator(t *testing.T) {
	t.Parallel()

	simulator, server := startSimulator(t)
	integration := newTestIntegration(t, server.URL+"/athena", server.Client())
	patient := &ehr.Patient{
		FirstName: "Elena", LastName: "Vasquez-Moore", Age: 52, Gender: "female", DateOfBirth: "1973-04-12",
		Contact:        ehr.Contact{Email: "elena.vm@example.test", Phone: "+1 415 555 0134"},
		Allergies:      []string{"penicillin", "latex"},
		MedicalHistory: "Hypertension",
	}
	plan, errs := ehr.PlanDelivery(athena.DefaultMapping(), patient, nil)
	if len(errs) > 0 {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}

	outcomes, patientID := ehr.Deliver(context.Background(), ehr.Delivery{
		Integration: integration, Plan: plan, Patient: patient,
		PracticeID: testPractice, IdempotencyPrefix: "txn-sim",
	})

	if patientID == "" {
		t.Fatal("Deliver returned no patient id")
	}
	for _, outcome := range outcomes {
		if outcome.Status != ehr.EndpointSucceeded {
			t.Errorf("%s: Status = %q (%+v), want %q", outcome.Endpoint, outcome.Status, outcome.Err, ehr.EndpointSucceeded)
		}
	}
	record, ok := simulator.Patient(sim.SystemAthena, patientID)
	if !ok {
		t.Fatalf("simulator has no athena patient %s", patientID)
	}
	if len(record.Calls) != len(plan.Endpoints) {
		t.Errorf("simulator recorded %d calls, want %d", len(record.Calls), len(plan.Endpoints))
	}
	if got := record.Calls[0].Fields["PATIENT_FIRST_NAME"]; got != "Elena" {
		t.Errorf("PATIENT_FIRST_NAME = %q, want %q", got, "Elena")
	}
	if got := record.Calls[0].IdempotencyKey; !strings.HasPrefix(got, "txn-sim:") {
		t.Errorf("first call idempotency key = %q, want the txn-sim prefix", got)
	}
}

func TestCallRetriesSimulatorUnauthorizedOnce(t *testing.T) {
	t.Parallel()

	simulator, server := startSimulator(t)
	integration := newTestIntegration(t, server.URL+"/athena", server.Client())
	_, err := simulator.AddFault(sim.Fault{System: sim.SystemAthena, Match: "/patients", Status: http.StatusUnauthorized, Times: 1})
	if err != nil {
		t.Fatalf("AddFault error: %v", err)
	}

	result, err := integration.Call(context.Background(), demographicsCall())
	if err != nil {
		t.Fatalf("Call error: %v", err)
	}
	if result.PatientID == "" {
		t.Error("PatientID is empty after the retry")
	}
	if got := simulator.Stats().FaultsFired; got != 1 {
		t.Errorf("faults fired = %d, want 1", got)
	}
	if got := len(simulator.Patients(sim.SystemAthena)); got != 1 {
		t.Errorf("simulator has %d athena patients, want 1", got)
	}
}
