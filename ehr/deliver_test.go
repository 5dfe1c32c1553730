package ehr

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

const deliverTestPracticeID = "195900"

// deliverTestConfig is an athena-like mapping: one identity endpoint and
// four endpoints that write under the patient id it returns.
func deliverTestConfig() Config {
	return Config{Endpoints: []Endpoint{
		{Name: "patient_demographics", Method: "POST", Path: "/v1/{practiceId}/patients", IdentifiesPatient: true,
			Fields: []FieldRule{{Source: "firstName", Target: "FIRST"}, {Source: "lastName", Target: "LAST"}}},
		{Name: "medical_history", Method: "POST", Path: "/v1/{practiceId}/chart/{patientId}/medicalhistory",
			Fields: []FieldRule{{Source: "allergies", Target: "ALLERGIES"}}},
		{Name: "social_history", Method: "POST", Path: "/v1/{practiceId}/chart/{patientId}/socialhistory",
			Fields: []FieldRule{{Source: "socialHistory", Target: "SOCIAL"}}},
		{Name: "family_history", Method: "POST", Path: "/v1/{practiceId}/chart/{patientId}/familyhistory",
			Fields: []FieldRule{{Source: "familyHistory", Target: "FAMILY"}}},
		{Name: "insurance", Method: "POST", Path: "/v1/{practiceId}/patients/{patientId}/insurances",
			Fields: []FieldRule{{Source: "insuranceProvider", Target: "PROVIDER"}}},
	}}
}

// deliverTestDependents are the non-identity endpoints of deliverTestConfig.
var deliverTestDependents = []string{"medical_history", "social_history", "family_history", "insurance"}

func deliverTestPatient() *Patient {
	return &Patient{
		FirstName: "Elena", LastName: "Vasquez-Moore", Age: 52, Gender: "female",
		Contact:           Contact{Email: "elena.vm@example.test", Phone: "+1 415 555 0134"},
		Allergies:         []string{"penicillin", "latex"},
		SocialHistory:     "Non-smoker",
		FamilyHistory:     "Mother: type 2 diabetes",
		InsuranceProvider: "Acme Health",
	}
}

// deliverTestPlan plans every endpoint of deliverTestConfig for the test
// patient, identity first.
func deliverTestPlan(t *testing.T) Plan {
	t.Helper()

	plan, errs := PlanDelivery(deliverTestConfig(), deliverTestPatient(), nil)
	if len(errs) > 0 {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}
	if plan.IdentityIndex != 0 || len(plan.Endpoints) != 5 {
		t.Fatalf("PlanDelivery = %d endpoints with identity at %d, want 5 with identity at 0", len(plan.Endpoints), plan.IdentityIndex)
	}

	return plan
}

// fakeResult is what fakeIntegration returns for one endpoint.
type fakeResult struct {
	result CallResult
	err    error
}

// recordedCall is one call fakeIntegration received, with the times it
// started and returned.
type recordedCall struct {
	call    EndpointCall
	started time.Time
	ended   time.Time
}

// fakeIntegration returns a preset result for each endpoint by name, sleeping
// delay first, and records every call. An endpoint without a preset result
// succeeds with HTTP 200.
type fakeIntegration struct {
	delay   time.Duration
	results map[string]fakeResult

	mu    sync.Mutex
	calls []recordedCall
}

func (f *fakeIntegration) Call(_ context.Context, call EndpointCall) (CallResult, error) {
	started := time.Now()
	time.Sleep(f.delay)
	preset, ok := f.results[call.Endpoint.Name]
	if !ok {
		preset.result.HTTPStatus = 200
	}

	f.mu.Lock()
	f.calls = append(f.calls, recordedCall{call: call, started: started, ended: time.Now()})
	f.mu.Unlock()

	return preset.result, preset.err
}

// callsByName returns the recorded calls keyed by endpoint name. It fails the
// test when an endpoint was called more than once.
func (f *fakeIntegration) callsByName(t *testing.T) map[string]recordedCall {
	t.Helper()

	f.mu.Lock()
	defer f.mu.Unlock()

	byName := make(map[string]recordedCall, len(f.calls))
	for _, recorded := range f.calls {
		name := recorded.call.Endpoint.Name
		if _, seen := byName[name]; seen {
			t.Errorf("endpoint %s called more than once", name)
		}
		byName[name] = recorded
	}

	return byName
}

// outcomeRecorder collects what OnOutcome receives, from any goroutine.
type outcomeRecorder struct {
	mu       sync.Mutex
	outcomes []Outcome
}

func (r *outcomeRecorder) record(outcome Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()

	r.outcomes = append(r.outcomes, outcome)
}

// countByName returns how often each endpoint was reported.
func (r *outcomeRecorder) countByName() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()

	counts := map[string]int{}
	for _, outcome := range r.outcomes {
		counts[outcome.Endpoint]++
	}

	return counts
}

// outcomeByName finds an endpoint's outcome in a Deliver result.
func outcomeByName(t *testing.T, outcomes []Outcome, name string) Outcome {
	t.Helper()

	for _, outcome := range outcomes {
		if outcome.Endpoint == name {
			return outcome
		}
	}
	t.Fatalf("no outcome for endpoint %s in %+v", name, outcomes)

	return Outcome{}
}

func identityResult(patientID string) map[string]fakeResult {
	return map[string]fakeResult{
		"patient_demographics": {result: CallResult{HTTPStatus: 200, PatientID: patientID}},
	}
}

func TestDeliverCallsIdentityBeforeParallelDependents(t *testing.T) {
	t.Parallel()

	const delay = 100 * time.Millisecond
	fake := &fakeIntegration{delay: delay, results: identityResult("E-42")}
	outcomes, _ := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	calls := fake.callsByName(t)
	if len(calls) != 5 {
		t.Fatalf("Integration called for %d endpoints, want 5", len(calls))
	}
	identity := calls["patient_demographics"]
	var latestStart, earliestEnd time.Time
	for _, name := range deliverTestDependents {
		dependent := calls[name]
		if dependent.started.Before(identity.ended) {
			t.Errorf("%s started %v before the identity call returned", name, identity.ended.Sub(dependent.started))
		}
		if latestStart.IsZero() || dependent.started.After(latestStart) {
			latestStart = dependent.started
		}
		if earliestEnd.IsZero() || dependent.ended.Before(earliestEnd) {
			earliestEnd = dependent.ended
		}
	}
	if !latestStart.Before(earliestEnd) {
		t.Errorf("last dependent started %v after the first one returned, want all four running at once", latestStart.Sub(earliestEnd))
	}

	for _, outcome := range outcomes {
		if outcome.Duration < delay {
			t.Errorf("%s: Duration = %v, want at least the call's %v", outcome.Endpoint, outcome.Duration, delay)
		}
	}
}

func TestDeliverUsesIdentityPatientID(t *testing.T) {
	t.Parallel()

	results := identityResult("E-42")
	results["insurance"] = fakeResult{result: CallResult{HTTPStatus: 201, Reference: "ref-9"}}
	fake := &fakeIntegration{results: results}
	outcomes, patientID := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	if patientID != "E-42" {
		t.Errorf("Deliver patient id = %q, want %q", patientID, "E-42")
	}
	wantPaths := map[string]string{
		"patient_demographics": "/v1/195900/patients",
		"medical_history":      "/v1/195900/chart/E-42/medicalhistory",
		"social_history":       "/v1/195900/chart/E-42/socialhistory",
		"family_history":       "/v1/195900/chart/E-42/familyhistory",
		"insurance":            "/v1/195900/patients/E-42/insurances",
	}
	calls := fake.callsByName(t)
	for name, wantPath := range wantPaths {
		if got := calls[name].call.Endpoint.Path; got != wantPath {
			t.Errorf("%s: called with path %q, want %q", name, got, wantPath)
		}
	}
	if got := calls["patient_demographics"].call.PatientID; got != "" {
		t.Errorf("identity call PatientID = %q, want empty before the EHR returns one", got)
	}
	for _, name := range deliverTestDependents {
		if got := calls[name].call.PatientID; got != "E-42" {
			t.Errorf("%s: call PatientID = %q, want %q", name, got, "E-42")
		}
		if got := outcomeByName(t, outcomes, name).PatientID; got != "E-42" {
			t.Errorf("%s: outcome PatientID = %q, want %q", name, got, "E-42")
		}
	}

	insurance := outcomeByName(t, outcomes, "insurance")
	if insurance.Reference != "ref-9" {
		t.Errorf("insurance: Reference = %q, want %q", insurance.Reference, "ref-9")
	}
	if insurance.HTTPStatus != 201 {
		t.Errorf("insurance: HTTPStatus = %d, want 201", insurance.HTTPStatus)
	}
}

func TestDeliverEscapesPatientIDInPath(t *testing.T) {
	t.Parallel()

	fake := &fakeIntegration{results: identityResult("E/42 a")}
	Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	got := fake.callsByName(t)["medical_history"].call.Endpoint.Path
	if want := "/v1/195900/chart/E%2F42%20a/medicalhistory"; got != want {
		t.Errorf("medical_history path = %q, want %q", got, want)
	}
}

func TestDeliverSendsMappedFields(t *testing.T) {
	t.Parallel()

	fake := &fakeIntegration{results: identityResult("E-42")}
	Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	calls := fake.callsByName(t)
	wantFields := map[string][]MappedField{
		"patient_demographics": {{Target: "FIRST", Value: "Elena"}, {Target: "LAST", Value: "Vasquez-Moore"}},
		"medical_history":      {{Target: "ALLERGIES", Value: "penicillin, latex"}},
		"insurance":            {{Target: "PROVIDER", Value: "Acme Health"}},
	}
	for name, want := range wantFields {
		if got := calls[name].call.Fields; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Fields = %+v, want %+v", name, got, want)
		}
	}
}

func TestDeliverIdempotencyKeys(t *testing.T) {
	t.Parallel()

	fake := &fakeIntegration{results: identityResult("E-42")}
	Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	seen := map[string]string{}
	for name, recorded := range fake.callsByName(t) {
		key := recorded.call.IdempotencyKey
		if want := "txn-1:" + name; key != want {
			t.Errorf("%s: IdempotencyKey = %q, want %q", name, key, want)
		}
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s share IdempotencyKey %q", name, other, key)
		}
		seen[key] = name
	}
}

func TestDeliverIdentityFailureSkipsDependents(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name       string
		err        error
		wantStatus string
	}{
		{"permanent", ClassifyStatus(409), EndpointFailed},
		{"retryable", ClassifyStatus(503), EndpointFailed},
		{"unknown", &CallError{Class: FailureUnknown, Code: CallCodeTimeout, Reason: "EHR did not answer in time"}, EndpointUnknown},
		{"no patient id", &CallError{Class: FailureUnknown, Code: CallCodeNoPatientID, Reason: "no patient id"}, EndpointUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			fake := &fakeIntegration{results: map[string]fakeResult{"patient_demographics": {err: tc.err}}}
			recorder := &outcomeRecorder{}
			outcomes, patientID := Deliver(context.Background(), Delivery{
				Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
				PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1", OnOutcome: recorder.record,
			})

			if patientID != "" {
				t.Errorf("%s: Deliver patient id = %q, want empty", tc.name, patientID)
			}
			calls := fake.callsByName(t)
			if len(calls) != 1 {
				t.Errorf("%s: Integration called for %d endpoints, want only the identity endpoint", tc.name, len(calls))
			}
			if got := outcomeByName(t, outcomes, "patient_demographics").Status; got != tc.wantStatus {
				t.Errorf("%s: identity Status = %q, want %q", tc.name, got, tc.wantStatus)
			}
			for _, name := range deliverTestDependents {
				outcome := outcomeByName(t, outcomes, name)
				if outcome.Status != EndpointSkipped {
					t.Errorf("%s: %s Status = %q, want %q", tc.name, name, outcome.Status, EndpointSkipped)
				}
				if outcome.Err == nil || outcome.Err.Code != CallCodeNotAttempted {
					t.Errorf("%s: %s Err = %+v, want code %q", tc.name, name, outcome.Err, CallCodeNotAttempted)
				}
				if _, called := calls[name]; called {
					t.Errorf("%s: %s was called after the identity call failed", tc.name, name)
				}
			}
			for _, name := range append([]string{"patient_demographics"}, deliverTestDependents...) {
				if got := recorder.countByName()[name]; got != 1 {
					t.Errorf("%s: OnOutcome called %d times for %s, want 1", tc.name, got, name)
				}
			}
		})
	}
}

func TestDeliverSkipsDoneEndpoints(t *testing.T) {
	t.Parallel()

	fake := &fakeIntegration{}
	recorder := &outcomeRecorder{}
	outcomes, patientID := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, PatientID: "E-7", IdempotencyPrefix: "txn-1",
		Done:      map[string]bool{"patient_demographics": true, "medical_history": true},
		OnOutcome: recorder.record,
	})

	if patientID != "E-7" {
		t.Errorf("Deliver patient id = %q, want the known %q", patientID, "E-7")
	}
	calls := fake.callsByName(t)
	counts := recorder.countByName()
	for _, name := range []string{"patient_demographics", "medical_history"} {
		if _, called := calls[name]; called {
			t.Errorf("%s: called although it is done", name)
		}
		if got := outcomeByName(t, outcomes, name).Status; got != EndpointSucceeded {
			t.Errorf("%s: Status = %q, want %q", name, got, EndpointSucceeded)
		}
		// The earlier attempt already recorded a done endpoint's outcome.
		if counts[name] != 0 {
			t.Errorf("%s: OnOutcome called %d times, want 0 for a done endpoint", name, counts[name])
		}
	}
	for _, name := range []string{"social_history", "family_history", "insurance"} {
		recorded, called := calls[name]
		if !called {
			t.Errorf("%s: not called, want it called", name)
			continue
		}
		if recorded.call.PatientID != "E-7" {
			t.Errorf("%s: call PatientID = %q, want %q", name, recorded.call.PatientID, "E-7")
		}
		if counts[name] != 1 {
			t.Errorf("%s: OnOutcome called %d times, want 1", name, counts[name])
		}
	}
}

func TestDeliverDoneDependentStillCallsIdentity(t *testing.T) {
	t.Parallel()

	fake := &fakeIntegration{results: identityResult("E-42")}
	outcomes, _ := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
		Done: map[string]bool{"insurance": true},
	})

	calls := fake.callsByName(t)
	if _, called := calls["patient_demographics"]; !called {
		t.Error("identity endpoint not called, want it called when it is not done")
	}
	if _, called := calls["insurance"]; called {
		t.Error("insurance called although it is done")
	}
	if got := outcomeByName(t, outcomes, "insurance").Status; got != EndpointSucceeded {
		t.Errorf("insurance: Status = %q, want %q", got, EndpointSucceeded)
	}
}

func TestDeliverReportsEachOutcomeOnce(t *testing.T) {
	t.Parallel()

	plan := deliverTestPlan(t)
	fake := &fakeIntegration{delay: 10 * time.Millisecond, results: identityResult("E-42")}
	recorder := &outcomeRecorder{}
	outcomes, _ := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: plan, Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1", OnOutcome: recorder.record,
	})

	counts := recorder.countByName()
	if len(counts) != len(plan.Endpoints) {
		t.Errorf("OnOutcome reported %d endpoints, want %d", len(counts), len(plan.Endpoints))
	}
	for i, planned := range plan.Endpoints {
		name := planned.Endpoint.Name
		if counts[name] != 1 {
			t.Errorf("%s: OnOutcome called %d times, want 1", name, counts[name])
		}
		if outcomes[i].Endpoint != name {
			t.Errorf("outcome %d is for %s, want %s in plan order", i, outcomes[i].Endpoint, name)
		}
		if outcomes[i].Status != EndpointSucceeded {
			t.Errorf("%s: Status = %q, want %q", name, outcomes[i].Status, EndpointSucceeded)
		}
	}
}

func TestDeliverOutcomeStatusFromError(t *testing.T) {
	t.Parallel()

	results := identityResult("E-42")
	results["medical_history"] = fakeResult{err: ClassifyStatus(422)}
	results["social_history"] = fakeResult{err: ClassifyTransportError(context.DeadlineExceeded, true)}
	results["family_history"] = fakeResult{err: ClassifyStatus(503)}
	results["insurance"] = fakeResult{err: errors.New("encoding failed")}
	fake := &fakeIntegration{results: results}
	outcomes, _ := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: deliverTestPlan(t), Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-1",
	})

	cases := []struct {
		name       string
		wantStatus string
		wantClass  FailureClass
		wantCode   string
		wantHTTP   int
	}{
		{"medical_history", EndpointFailed, FailurePermanent, CallCodeHTTPStatus, 422},
		{"social_history", EndpointUnknown, FailureUnknown, CallCodeTimeout, 0},
		{"family_history", EndpointFailed, FailureRetryable, CallCodeHTTPStatus, 503},
		{"insurance", EndpointFailed, FailureRetryable, CallCodeConnection, 0},
	}
	for _, tc := range cases {
		outcome := outcomeByName(t, outcomes, tc.name)
		if outcome.Status != tc.wantStatus {
			t.Errorf("%s: Status = %q, want %q", tc.name, outcome.Status, tc.wantStatus)
		}
		if outcome.Err == nil {
			t.Errorf("%s: Err is nil, want a %s error", tc.name, tc.wantClass)
			continue
		}
		if outcome.Err.Class != tc.wantClass {
			t.Errorf("%s: Err.Class = %q, want %q", tc.name, outcome.Err.Class, tc.wantClass)
		}
		if outcome.Err.Code != tc.wantCode {
			t.Errorf("%s: Err.Code = %q, want %q", tc.name, outcome.Err.Code, tc.wantCode)
		}
		if outcome.HTTPStatus != tc.wantHTTP {
			t.Errorf("%s: HTTPStatus = %d, want %d", tc.name, outcome.HTTPStatus, tc.wantHTTP)
		}
	}
	if identity := outcomeByName(t, outcomes, "patient_demographics"); identity.Err != nil {
		t.Errorf("identity: Err = %+v, want nil on success", identity.Err)
	}
}

func TestDeliverWithoutIdentityUsesKnownPatientID(t *testing.T) {
	t.Parallel()

	patient := deliverTestPatient()
	patient.Identifiers.EHRPatientID = "E-9"
	plan, errs := PlanDelivery(deliverTestConfig(), patient, []string{"medical_history", "insurance"})
	if len(errs) > 0 {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}
	if plan.IdentityIndex != -1 {
		t.Fatalf("PlanDelivery IdentityIndex = %d, want -1", plan.IdentityIndex)
	}

	fake := &fakeIntegration{}
	outcomes, patientID := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: plan, Patient: patient,
		PracticeID: deliverTestPracticeID, PatientID: patient.Identifiers.EHRPatientID, IdempotencyPrefix: "txn-2",
	})

	if patientID != "E-9" {
		t.Errorf("Deliver patient id = %q, want %q", patientID, "E-9")
	}
	calls := fake.callsByName(t)
	if got := calls["medical_history"].call.Endpoint.Path; got != "/v1/195900/chart/E-9/medicalhistory" {
		t.Errorf("medical_history path = %q, want the known patient id in it", got)
	}
	for _, outcome := range outcomes {
		if outcome.Status != EndpointSucceeded {
			t.Errorf("%s: Status = %q, want %q", outcome.Endpoint, outcome.Status, EndpointSucceeded)
		}
	}
}

func TestDeliverMissingPatientIDFailsWithoutCalling(t *testing.T) {
	t.Parallel()

	cfg := deliverTestConfig()
	plan := Plan{IdentityIndex: -1, Endpoints: []PlannedEndpoint{{Endpoint: cfg.Endpoints[1]}}}
	fake := &fakeIntegration{}
	outcomes, _ := Deliver(context.Background(), Delivery{
		Integration: fake, Plan: plan, Patient: deliverTestPatient(),
		PracticeID: deliverTestPracticeID, IdempotencyPrefix: "txn-3",
	})

	if calls := fake.callsByName(t); len(calls) != 0 {
		t.Errorf("Integration called for %d endpoints, want 0 without a patient id", len(calls))
	}
	outcome := outcomes[0]
	if outcome.Status != EndpointFailed {
		t.Errorf("Status = %q, want %q", outcome.Status, EndpointFailed)
	}
	if outcome.Err == nil || outcome.Err.Code != CallCodeConfig || outcome.Err.Class != FailurePermanent {
		t.Errorf("Err = %+v, want a permanent %q error", outcome.Err, CallCodeConfig)
	}
}

func TestSummarizeOutcomes(t *testing.T) {
	t.Parallel()

	succeeded := Outcome{Status: EndpointSucceeded}
	cases := []struct {
		name     string
		statuses []string
		want     string
	}{
		{"all succeeded", []string{EndpointSucceeded, EndpointSucceeded}, StatusSucceeded},
		{"one endpoint succeeded", []string{EndpointSucceeded}, StatusSucceeded},
		{"none succeeded", []string{EndpointFailed, EndpointSkipped, EndpointUnknown}, StatusFailed},
		{"some failed", []string{EndpointSucceeded, EndpointFailed}, StatusPartiallyFailed},
		{"some unknown", []string{EndpointSucceeded, EndpointUnknown}, StatusPartiallyFailed},
		{"some skipped", []string{EndpointFailed, EndpointSucceeded, EndpointSkipped}, StatusPartiallyFailed},
	}
	for _, tc := range cases {
		outcomes := make([]Outcome, len(tc.statuses))
		for i, status := range tc.statuses {
			outcomes[i] = succeeded
			outcomes[i].Status = status
		}
		if got := SummarizeOutcomes(outcomes); got != tc.want {
			t.Errorf("SummarizeOutcomes(%s) = %q, want %q", tc.name, got, tc.want)
		}
		if !slices.Contains(TransactionStatuses, tc.want) {
			t.Errorf("%s: %q is not in TransactionStatuses", tc.name, tc.want)
		}
	}
}
