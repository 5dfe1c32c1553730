package ehr

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Endpoint statuses in the transaction ledger.
const (
	EndpointPending   = "pending"
	EndpointSucceeded = "succeeded"
	EndpointFailed    = "failed"
	EndpointUnknown   = "unknown"
	EndpointSkipped   = "skipped"
)

// Outcome is what happened to one planned endpoint.
type Outcome struct {
	Endpoint   string
	Status     string
	HTTPStatus int
	PatientID  string
	Reference  string
	Duration   time.Duration
	// Err is set for failed, unknown and skipped endpoints.
	Err *CallError
}

// Delivery is one attempt at sending a patient along a plan.
type Delivery struct {
	Integration Integration
	Plan        Plan
	Patient     *Patient
	PracticeID  string
	// PatientID is the EHR's patient id when already known (from the
	// request's identifiers or an earlier attempt's identity endpoint).
	PatientID string
	// IdempotencyPrefix is combined with each endpoint name into the key the
	// call carries; it is stable across attempts of one transaction.
	IdempotencyPrefix string
	// Done lists endpoints that succeeded in an earlier attempt; they are not
	// called again.
	Done map[string]bool
	// OnOutcome receives each endpoint's outcome as soon as it is known. It
	// is called from several goroutines at once.
	OnOutcome func(Outcome)
}

// Deliver calls the identity endpoint first, then every other planned
// endpoint in parallel under the patient id it returned. It returns the
// outcomes in plan order and the EHR patient id used.
func Deliver(ctx context.Context, d Delivery) ([]Outcome, string) {
	outcomes := make([]Outcome, len(d.Plan.Endpoints))
	patientID := d.PatientID

	if i := d.Plan.IdentityIndex; i >= 0 && !d.Done[d.Plan.Endpoints[i].Endpoint.Name] {
		outcomes[i] = d.call(ctx, d.Plan.Endpoints[i].Endpoint, patientID)
		if outcomes[i].Status != EndpointSucceeded {
			d.skipDependents(outcomes, i)
			return d.fillDone(outcomes), patientID
		}
		patientID = outcomes[i].PatientID
	}

	var wg sync.WaitGroup
	for i, planned := range d.Plan.Endpoints {
		if i == d.Plan.IdentityIndex || d.Done[planned.Endpoint.Name] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = d.call(ctx, planned.Endpoint, patientID)
		}()
	}
	wg.Wait()

	return d.fillDone(outcomes), patientID
}

// call sends one endpoint and reports its outcome.
func (d Delivery) call(ctx context.Context, endpoint Endpoint, patientID string) Outcome {
	started := time.Now()
	outcome := Outcome{Endpoint: endpoint.Name, PatientID: patientID}

	result, err := d.send(ctx, endpoint, patientID)
	outcome.Duration = time.Since(started)
	outcome.HTTPStatus = result.HTTPStatus
	outcome.Reference = result.Reference
	if result.PatientID != "" {
		outcome.PatientID = result.PatientID
	}

	outcome.Status = EndpointSucceeded
	if err != nil {
		outcome.Err = AsCallError(err)
		if outcome.Err.HTTPStatus != 0 {
			outcome.HTTPStatus = outcome.Err.HTTPStatus
		}
		outcome.Status = EndpointFailed
		if outcome.Err.Class == FailureUnknown {
			outcome.Status = EndpointUnknown
		}
	}
	d.report(outcome)

	return outcome
}

func (d Delivery) send(ctx context.Context, endpoint Endpoint, patientID string) (CallResult, error) {
	placeholders := map[string]string{"practiceId": d.PracticeID, "patientId": patientID}
	if endpoint.Path != "" {
		path, err := ExpandPath(endpoint.Path, placeholders)
		if err != nil {
			return CallResult{}, &CallError{Class: FailurePermanent, Code: CallCodeConfig, Reason: err.Error()}
		}
		endpoint.Path = path
	}

	return d.Integration.Call(ctx, EndpointCall{
		Endpoint:       endpoint,
		Fields:         endpoint.Apply(d.Patient),
		PatientID:      patientID,
		IdempotencyKey: d.IdempotencyPrefix + ":" + endpoint.Name,
	})
}

// skipDependents marks every endpoint after a failed identity call as
// skipped: without the patient id there is no safe place to write them.
func (d Delivery) skipDependents(outcomes []Outcome, identity int) {
	for i, planned := range d.Plan.Endpoints {
		if i == identity || d.Done[planned.Endpoint.Name] {
			continue
		}
		outcomes[i] = Outcome{
			Endpoint: planned.Endpoint.Name,
			Status:   EndpointSkipped,
			Err: &CallError{
				Class:  FailureRetryable,
				Code:   CallCodeNotAttempted,
				Reason: "not sent because the patient was not identified in the EHR",
			},
		}
		d.report(outcomes[i])
	}
}

// fillDone records endpoints finished in an earlier attempt as succeeded
// in this attempt's outcome list, without calling them.
func (d Delivery) fillDone(outcomes []Outcome) []Outcome {
	for i, planned := range d.Plan.Endpoints {
		if d.Done[planned.Endpoint.Name] {
			outcomes[i] = Outcome{Endpoint: planned.Endpoint.Name, Status: EndpointSucceeded}
		}
	}

	return outcomes
}

func (d Delivery) report(outcome Outcome) {
	if d.OnOutcome != nil {
		d.OnOutcome(outcome)
	}
}

// AsCallError returns err as a *CallError, wrapping any other error as a
// retryable one with a generic reason.
func AsCallError(err error) *CallError {
	var callErr *CallError
	if errors.As(err, &callErr) {
		return callErr
	}

	return &CallError{Class: FailureRetryable, Code: CallCodeConnection, Reason: "EHR call failed"}
}
