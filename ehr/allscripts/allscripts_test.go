package allscripts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/allscripts"
	"ehrbridge/ehr/sim"
)

const (
	testUsername  = "ehrbridge-svc"
	testPassword  = "password-for-tests"
	testAppName   = "ehrbridge-test"
	testAppUserID = "clinic-user"
	servicePath   = "/Unity/UnityService.svc/json"
)

// magicJSONBody is the MagicJson envelope as the fake server decodes it.
type magicJSONBody struct {
	Action    string
	AppUserID string
	Appname   string
	PatientID string
	Token     string
	Data      map[string]string
}

// unityRequest is one request the fake Unity server received.
type unityRequest struct {
	path   string
	header http.Header
	body   []byte
}

// fakeUnity mimics the Unity API shape: GetToken hands out "token-1",
// "token-2", ... as plain text and MagicJson responds with identityBody.
type fakeUnity struct {
	server *httptest.Server

	mu sync.Mutex
	// tokenStatus, when set, is the status of every GetToken request.
	tokenStatus int
	// tokenBody, when set, replaces GetToken's response.
	tokenBody string
	// rejectData is how many of the next MagicJson calls get HTTP 401.
	rejectData    int
	identityBody  string
	issued        int
	tokenRequests []unityRequest
	dataRequests  []unityRequest
}

func startFakeUnity(t *testing.T) *fakeUnity {
	t.Helper()

	fake := &fakeUnity{identityBody: `[{"savepatientinfo":[{"PatientID":"77"}]}]`}
	fake.server = httptest.NewServer(http.HandlerFunc(fake.serveHTTP))
	t.Cleanup(fake.server.Close)

	return fake
}

func (f *fakeUnity) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	request := unityRequest{path: r.URL.Path, header: r.Header.Clone(), body: body}

	f.mu.Lock()
	defer f.mu.Unlock()

	switch r.URL.Path {
	case servicePath + "/GetToken":
		f.tokenRequests = append(f.tokenRequests, request)
		f.writeToken(w)
	case servicePath + "/MagicJson":
		f.dataRequests = append(f.dataRequests, request)
		if f.rejectData > 0 {
			f.rejectData--
			http.Error(w, `{"error":"invalid token"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, f.identityBody)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeUnity) writeToken(w http.ResponseWriter) {
	if f.tokenStatus != 0 {
		http.Error(w, "GetToken failure", f.tokenStatus)
		return
	}
	if f.tokenBody != "" {
		_, _ = io.WriteString(w, f.tokenBody)
		return
	}
	f.issued++
	_, _ = fmt.Fprintf(w, "token-%d", f.issued)
}

// set changes the fake's settings under its lock.
func (f *fakeUnity) set(change func(f *fakeUnity)) {
	f.mu.Lock()
	defer f.mu.Unlock()

	change(f)
}

func (f *fakeUnity) tokens() []unityRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return append([]unityRequest(nil), f.tokenRequests...)
}

func (f *fakeUnity) data() []unityRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return append([]unityRequest(nil), f.dataRequests...)
}

// decodeMagicJSON decodes a recorded MagicJson body or stops the test.
func decodeMagicJSON(t *testing.T, request unityRequest) magicJSONBody {
	t.Helper()

	var body magicJSONBody
	if err := json.Unmarshal(request.body, &body); err != nil {
		t.Fatalf("MagicJson body is not JSON: %v", err)
	}

	return body
}

func newTestIntegration(t *testing.T, baseURL string, client *http.Client) ehr.Integration {
	t.Helper()

	integration, err := allscripts.New(ehr.Connection{
		Name: "unity-test", Family: allscripts.FamilyName, BaseURL: baseURL,
		AuthKind: ehr.AuthUnityToken, ClientID: testUsername, Secret: testPassword,
		Options: map[string]string{allscripts.OptionAppName: testAppName, allscripts.OptionAppUserID: testAppUserID},
	}, client)
	if err != nil {
		t.Fatalf("allscripts.New error: %v", err)
	}

	return integration
}

func savePatientCall() ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint: ehr.Endpoint{Name: "patient_demographics", Method: http.MethodPost, Action: "SavePatient", IdentifiesPatient: true},
		Fields: []ehr.MappedField{
			{Target: "FIRST_NAME_PAT", Value: "Elena"},
			{Target: "LAST_NAME_PAT", Value: "Vasquez-Moore"},
		},
		IdempotencyKey: "txn-1:patient_demographics",
	}
}

func saveHistoryCall() ehr.EndpointCall {
	return ehr.EndpointCall{
		Endpoint:       ehr.Endpoint{Name: "medical_history", Method: http.MethodPost, Action: "SaveHistory"},
		Fields:         []ehr.MappedField{{Target: "ALLERGIES_PAT", Value: "penicillin; latex"}},
		PatientID:      "77",
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

	integration, err := allscripts.New(ehr.Connection{Name: "unity-test", ClientID: testUsername}, http.DefaultClient)
	if err == nil {
		t.Errorf("allscripts.New without a base URL = %v, want an error", integration)
	}
}

func TestFamilyRegistered(t *testing.T) {
	t.Parallel()

	family, ok := ehr.LookupFamily(allscripts.FamilyName)
	if !ok {
		t.Fatalf("family %q not registered", allscripts.FamilyName)
	}
	if family.DefaultAuthKind != ehr.AuthUnityToken {
		t.Errorf("DefaultAuthKind = %q, want %q", family.DefaultAuthKind, ehr.AuthUnityToken)
	}
}

func TestGetTokenSendsCredentials(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())
	if _, err := integration.Call(context.Background(), saveHistoryCall()); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	tokens := fake.tokens()
	if len(tokens) != 1 {
		t.Fatalf("GetToken requests = %d, want 1", len(tokens))
	}
	var credentials struct{ Username, Password string }
	if err := json.Unmarshal(tokens[0].body, &credentials); err != nil {
		t.Fatalf("GetToken body is not JSON: %v", err)
	}
	if credentials.Username != testUsername {
		t.Errorf("Username = %q, want %q", credentials.Username, testUsername)
	}
	if credentials.Password != testPassword {
		t.Error("Password is not the connection secret")
	}
	if got := tokens[0].header.Get("Content-Type"); got != "application/json" {
		t.Errorf("GetToken Content-Type = %q, want application/json", got)
	}
	if got := tokens[0].header.Get(ehr.IdempotencyHeader); got != "" {
		t.Errorf("GetToken %s = %q, want none", ehr.IdempotencyHeader, got)
	}
}

func TestCallSendsMagicJSON(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())
	call := saveHistoryCall()
	if _, err := integration.Call(context.Background(), call); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	data := fake.data()
	if len(data) != 1 {
		t.Fatalf("MagicJson requests = %d, want 1", len(data))
	}
	body := decodeMagicJSON(t, data[0])
	want := magicJSONBody{
		Action: "SaveHistory", AppUserID: testAppUserID, Appname: testAppName, PatientID: "77", Token: "token-1",
		Data: map[string]string{"ALLERGIES_PAT": "penicillin; latex"},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("MagicJson body = %+v, want %+v", body, want)
	}
	if got := data[0].header.Get("Content-Type"); got != "application/json" {
		t.Errorf("MagicJson Content-Type = %q, want application/json", got)
	}
	if got := data[0].header.Get(ehr.IdempotencyHeader); got != "txn-1:medical_history" {
		t.Errorf("MagicJson %s = %q, want %q", ehr.IdempotencyHeader, got, "txn-1:medical_history")
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
		{"default path", `[{"savepatientinfo":[{"PatientID":"77"}]}]`, "", "77"},
		{"numeric id", `[{"savepatientinfo":[{"PatientID":78}]}]`, "", "78"},
		{"configured path", `[{"patientinfo":{"ID":"U-5"}}]`, "0.patientinfo.ID", "U-5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeUnity(t)
			fake.set(func(f *fakeUnity) { f.identityBody = tc.body })
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

			call := savePatientCall()
			call.Endpoint.PatientIDPath = tc.path
			result, err := integration.Call(context.Background(), call)
			if err != nil {
				t.Fatalf("%s: Call error: %v", tc.name, err)
			}
			if result.PatientID != tc.want {
				t.Errorf("%s: PatientID = %q, want %q", tc.name, result.PatientID, tc.want)
			}
			if body := decodeMagicJSON(t, fake.data()[0]); body.PatientID != "" {
				t.Errorf("%s: SavePatient sent PatientID %q, want empty", tc.name, body.PatientID)
			}
		})
	}
}

func TestCallMissingPatientID(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	fake.set(func(f *fakeUnity) { f.identityBody = `[{"savepatientinfo":[]}]` })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	_, err := integration.Call(context.Background(), savePatientCall())
	callErr := requireCallError(t, err)
	if callErr.Code != ehr.CallCodeNoPatientID {
		t.Errorf("Code = %q, want %q", callErr.Code, ehr.CallCodeNoPatientID)
	}
	if callErr.Class != ehr.FailureUnknown {
		t.Errorf("Class = %q, want %q", callErr.Class, ehr.FailureUnknown)
	}
}

func TestCallReusesTokenAcrossConcurrentCalls(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	const calls = 20
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			_, errs[i] = integration.Call(context.Background(), saveHistoryCall())
		})
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: error: %v", i, err)
		}
	}
	if got := len(fake.tokens()); got != 1 {
		t.Errorf("GetToken requests = %d for %d concurrent calls, want 1", got, calls)
	}
	for i, request := range fake.data() {
		if got := decodeMagicJSON(t, request).Token; got != "token-1" {
			t.Errorf("MagicJson request %d: Token = %q, want %q", i, got, "token-1")
		}
	}
}

func TestCallRefreshesTokenAfter401(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	fake.set(func(f *fakeUnity) { f.rejectData = 1 })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	if _, err := integration.Call(context.Background(), saveHistoryCall()); err != nil {
		t.Fatalf("Call error: %v", err)
	}

	if got := len(fake.tokens()); got != 2 {
		t.Errorf("GetToken requests = %d, want 2", got)
	}
	data := fake.data()
	if len(data) != 2 {
		t.Fatalf("MagicJson requests = %d, want 2 (rejected call, retry)", len(data))
	}
	if got := decodeMagicJSON(t, data[0]).Token; got != "token-1" {
		t.Errorf("rejected call Token = %q, want %q", got, "token-1")
	}
	if got := decodeMagicJSON(t, data[1]).Token; got != "token-2" {
		t.Errorf("retry Token = %q, want %q", got, "token-2")
	}
	if got := data[1].header.Get(ehr.IdempotencyHeader); got != "txn-1:medical_history" {
		t.Errorf("retry %s = %q, want the same key", ehr.IdempotencyHeader, got)
	}
}

func TestCallSecond401IsPermanent(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	fake.set(func(f *fakeUnity) { f.rejectData = 100 })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	result, err := integration.Call(context.Background(), saveHistoryCall())
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
		t.Errorf("MagicJson requests = %d, want 2 (one retry only)", got)
	}
}

func TestGetTokenAnswers(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name      string
		status    int
		body      string
		wantToken string
		wantClass ehr.FailureClass
		wantHTTP  int
	}{
		{name: "JSON string token", body: `"abc-123"` + "\n", wantToken: "abc-123"},
		{name: "unavailable", status: http.StatusServiceUnavailable, wantClass: ehr.FailureRetryable, wantHTTP: 503},
		{name: "bad request", status: http.StatusBadRequest, wantClass: ehr.FailurePermanent, wantHTTP: 400},
		{name: "empty token", body: `""`, wantClass: ehr.FailureRetryable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := startFakeUnity(t)
			fake.set(func(f *fakeUnity) { f.tokenStatus, f.tokenBody = tc.status, tc.body })
			integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

			_, err := integration.Call(context.Background(), saveHistoryCall())
			if tc.wantToken != "" {
				if err != nil {
					t.Fatalf("%s: Call error: %v", tc.name, err)
				}
				if got := decodeMagicJSON(t, fake.data()[0]).Token; got != tc.wantToken {
					t.Errorf("%s: Token = %q, want %q", tc.name, got, tc.wantToken)
				}
				return
			}

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
				t.Errorf("%s: MagicJson requests = %d, want 0 without a token", tc.name, got)
			}
			if strings.Contains(callErr.Error(), testPassword) {
				t.Errorf("%s: error %q contains the password", tc.name, callErr.Error())
			}
		})
	}
}

// A 401 from GetToken means the credentials are wrong, not that a cached
// token went stale, so asking again only adds a failed login at the EHR.
func TestCallRejectedCredentialsRequestTokenOnce(t *testing.T) {
	t.Parallel()

	fake := startFakeUnity(t)
	fake.set(func(f *fakeUnity) { f.tokenStatus = http.StatusUnauthorized })
	integration := newTestIntegration(t, fake.server.URL, fake.server.Client())

	_, err := integration.Call(context.Background(), saveHistoryCall())
	if callErr := requireCallError(t, err); callErr.Code != ehr.CallCodeAuth {
		t.Errorf("Code = %q, want %q", callErr.Code, ehr.CallCodeAuth)
	}
	if got := len(fake.tokens()); got != 1 {
		t.Errorf("GetToken requests = %d for one call with rejected credentials, want 1", got)
	}
}

func TestDeliverDefaultMappingToSimulator(t *testing.T) {
	t.Parallel()

	simulator := sim.New(sim.Options{})
	server := httptest.NewServer(simulator.Handler())
	t.Cleanup(server.Close)
	integration := newTestIntegration(t, server.URL+"/unity", server.Client())

	patient := &ehr.Patient{
		FirstName: "Elena", LastName: "Vasquez-Moore", Age: 52, Gender: "female", DateOfBirth: "1973-04-12",
		Contact:        ehr.Contact{Email: "elena.vm@example.test", Phone: "+1 415 555 0134"},
		Allergies:      []string{"penicillin", "latex"},
		MedicalHistory: "Hypertension",
	}
	plan, errs := ehr.PlanDelivery(allscripts.DefaultMapping(), patient, nil)
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
	record, ok := simulator.Patient(sim.SystemUnity, patientID)
	if !ok {
		t.Fatalf("simulator has no Unity patient %s", patientID)
	}
	if len(record.Calls) != len(plan.Endpoints) {
		t.Errorf("simulator recorded %d calls, want %d", len(record.Calls), len(plan.Endpoints))
	}
	if got := record.Calls[0].Fields["FIRST_NAME_PAT"]; got != "Elena" {
		t.Errorf("FIRST_NAME_PAT = %q, want %q", got, "Elena")
	}
	if got := record.Calls[0].Action; got != "SavePatient" {
		t.Errorf("first call Action = %q, want SavePatient", got)
	}
}
