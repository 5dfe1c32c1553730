package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// Send modes recorded on a transaction.
const (
	ModeSync  = "sync"
	ModeAsync = "async"
	ModeBulk  = "bulk"
)

// SendRequest is one validated patient to deliver to one EHR.
type SendRequest struct {
	EHRName        string
	Patient        *ehr.Patient
	Targets        []string
	Language       language.Tag
	IdempotencyKey string
}

// storedPayload is what a transaction keeps of its request, enough to
// deliver it again.
type storedPayload struct {
	PatientData     *ehr.Patient `json:"patientData"`
	TargetEndpoints []string     `json:"targetEndpoints,omitempty"`
}

// SendOutcome is the answer to a synchronous send: an HTTP status and the
// JSON body, which is stored for idempotent replays.
type SendOutcome struct {
	Status   int
	Body     []byte
	Replayed bool
}

// SendSync records a transaction, delivers it to every planned endpoint
// and records each outcome. A request with an idempotency key already seen
// returns the first answer without sending again.
func (a *App) SendSync(ctx context.Context, req SendRequest) (SendOutcome, error) {
	system, err := a.findSystem(ctx, req.EHRName)
	if err != nil {
		return SendOutcome{}, err
	}
	mapping, err := a.currentMapping(ctx, system)
	if err != nil {
		return SendOutcome{}, err
	}
	plan, fieldErrs := ehr.PlanDelivery(mapping.Config, req.Patient, req.Targets)
	if len(fieldErrs) > 0 {
		return SendOutcome{}, invalidFields(fieldErrs)
	}

	txn, replay, err := a.recordTransaction(ctx, req, system, mapping, plan)
	if err != nil || replay != nil {
		return derefOutcome(replay), err
	}

	// The send goes on if the client disconnects: the transaction is
	// recorded and each endpoint's outcome must be too.
	deliverCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Config.SyncSendTimeout)
	defer cancel()
	outcomes, patientID := a.deliver(deliverCtx, system, txn.ID, req.Patient, plan)

	return a.finishSync(deliverCtx, txn, req, mapping, outcomes, patientID)
}

func derefOutcome(outcome *SendOutcome) SendOutcome {
	if outcome == nil {
		return SendOutcome{}
	}

	return *outcome
}

// recordTransaction stores the transaction and its ledger before anything
// is sent. When the idempotency key was used before, it returns the stored
// answer instead.
func (a *App) recordTransaction(ctx context.Context, req SendRequest, system store.System, mapping ehr.Mapping, plan ehr.Plan) (*store.Transaction, *SendOutcome, error) {
	hash, err := requestHash(system, req)
	if err != nil {
		return nil, nil, internalError(err)
	}
	if req.IdempotencyKey != "" {
		replay, err := a.replayIdempotent(ctx, req.IdempotencyKey, hash)
		if replay != nil || err != nil {
			return nil, replay, err
		}
	}

	txn, err := newTransaction(req, system, mapping, plan, hash)
	if err != nil {
		return nil, nil, internalError(err)
	}
	err = a.Store.CreateTransaction(ctx, txn)
	if errors.Is(err, store.ErrIdempotencyKeyUsed) {
		// A request with the same key was recorded between the lookup and
		// the insert.
		replay, err := a.replayIdempotent(ctx, req.IdempotencyKey, hash)
		return nil, replay, err
	}
	if err != nil {
		return nil, nil, storeFailure(err)
	}

	return txn, nil, nil
}

func newTransaction(req SendRequest, system store.System, mapping ehr.Mapping, plan ehr.Plan, hash []byte) (*store.Transaction, error) {
	id, err := store.NewTransactionID()
	if err != nil {
		return nil, fmt.Errorf("creating transaction id: %w", err)
	}
	payload, err := json.Marshal(storedPayload{PatientData: req.Patient, TargetEndpoints: req.Targets})
	if err != nil {
		return nil, fmt.Errorf("encoding payload of transaction %s: %w", id, err)
	}

	txn := &store.Transaction{
		ID: id, EHRSystemID: system.ID, EHRName: system.Name, Mode: ModeSync,
		Status: ehr.StatusProcessing, MappingVersion: mapping.Version, RequestHash: hash,
		EHRPatientID: req.Patient.Identifiers.EHRPatientID, Language: req.Language.String(), Payload: payload,
	}
	if req.IdempotencyKey != "" {
		txn.IdempotencyKey = &req.IdempotencyKey
	}
	for _, planned := range plan.Endpoints {
		txn.Endpoints = append(txn.Endpoints, store.TransactionEndpoint{
			Endpoint: planned.Endpoint.Name, Position: planned.Position,
			IdentifiesPatient: planned.Endpoint.IdentifiesPatient, Status: ehr.EndpointPending,
		})
	}

	return txn, nil
}

// deliver sends along plan and records each endpoint's outcome as it comes.
func (a *App) deliver(ctx context.Context, system store.System, txnID uuid.UUID, patient *ehr.Patient, plan ehr.Plan) ([]ehr.Outcome, string) {
	record := func(outcome ehr.Outcome) {
		a.recordOutcome(ctx, txnID, system, outcome)
	}

	integration, err := a.Integrations.For(system)
	if err != nil {
		a.Logger.Error("EHR system cannot be used", "ehr", system.Name, "transaction_id", txnID, "error", err)
		return configFailure(plan, record), patient.Identifiers.EHRPatientID
	}

	return ehr.Deliver(ctx, ehr.Delivery{
		Integration:       integration,
		Plan:              plan,
		Patient:           patient,
		PracticeID:        system.PracticeID,
		PatientID:         patient.Identifiers.EHRPatientID,
		IdempotencyPrefix: txnID.String(),
		OnOutcome:         record,
	})
}

// configFailure fails every planned endpoint of a system whose settings
// cannot be used, such as one without a base URL.
func configFailure(plan ehr.Plan, record func(ehr.Outcome)) []ehr.Outcome {
	outcomes := make([]ehr.Outcome, len(plan.Endpoints))
	for i, planned := range plan.Endpoints {
		outcomes[i] = ehr.Outcome{
			Endpoint: planned.Endpoint.Name,
			Status:   ehr.EndpointFailed,
			Err: &ehr.CallError{
				Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig,
				Reason: "EHR system settings are incomplete or invalid",
			},
		}
		record(outcomes[i])
	}

	return outcomes
}

func (a *App) recordOutcome(ctx context.Context, txnID uuid.UUID, system store.System, outcome ehr.Outcome) {
	result := store.EndpointResult{
		Endpoint: outcome.Endpoint, Status: outcome.Status, HTTPStatus: outcome.HTTPStatus,
		EHRReference: outcome.Reference, Duration: outcome.Duration,
	}
	if outcome.Err != nil {
		result.ErrorCode, result.ErrorReason = outcome.Err.Code, outcome.Err.Reason
		a.Logger.Warn("EHR endpoint not delivered", "transaction_id", txnID, "ehr", system.Name,
			"endpoint", outcome.Endpoint, "status", outcome.Status, "code", outcome.Err.Code, "http_status", outcome.HTTPStatus)
	}
	if err := a.Store.RecordEndpoint(ctx, txnID, result); err != nil {
		a.Logger.Error("recording endpoint outcome failed", "transaction_id", txnID, "endpoint", outcome.Endpoint, "error", err)
	}
}

// finishSync records the transaction's final status and the answer that
// idempotent replays return.
func (a *App) finishSync(ctx context.Context, txn *store.Transaction, req SendRequest, mapping ehr.Mapping, outcomes []ehr.Outcome, patientID string) (SendOutcome, error) {
	status := ehr.SummarizeOutcomes(outcomes)
	httpStatus := sendHTTPStatus(status)
	body, err := json.Marshal(a.sendResponse(req.Language, txn, mapping, status, outcomes, patientID))
	if err != nil {
		return SendOutcome{}, internalError(fmt.Errorf("encoding answer of transaction %s: %w", txn.ID, err))
	}

	err = a.Store.FinishAttempt(ctx, txn.ID, store.TransactionFinish{
		Status: status, EHRPatientID: patientID, LastError: lastError(outcomes),
		ResponseStatus: httpStatus, Response: body,
	})
	if err != nil {
		// Every endpoint outcome is already recorded; only the summary row
		// is stale, so the client still gets the real result.
		a.Logger.Error("recording transaction result failed", "transaction_id", txn.ID, "error", err)
	}
	a.Logger.Info("sync send finished", "transaction_id", txn.ID, "ehr", txn.EHRName, "status", status)

	return SendOutcome{Status: httpStatus, Body: body}, nil
}

// sendHTTPStatus is 200 when every endpoint succeeded, 207 when some did
// and 502 when none did.
func sendHTTPStatus(status string) int {
	switch status {
	case ehr.StatusSucceeded:
		return http.StatusOK
	case ehr.StatusPartiallyFailed:
		return http.StatusMultiStatus
	default:
		return http.StatusBadGateway
	}
}

// lastError is the first failure's sanitized reason, shown in lists.
func lastError(outcomes []ehr.Outcome) string {
	for _, outcome := range outcomes {
		if outcome.Err != nil {
			return outcome.Endpoint + ": " + outcome.Err.Reason
		}
	}

	return ""
}
